package sagclient

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// fanOutLimit bounds the requests one read has in flight. The rate
// governor decides how fast they go; this only keeps a read of a large
// instance from holding hundreds of goroutines and connections.
const fanOutLimit = 16

// forEach calls fn for every i in [0, n), at most limit at a time. The
// first error cancels the others and is the one returned, so a failure is
// never hidden behind the cancellations it caused.
func forEach(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error { return fn(gctx, i) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// The loop may have stopped early because ctx ended between two
	// requests: that is a failure too, not a complete answer.
	return context.Cause(ctx)
}

// batches cuts names into slices of at most size.
func batches(names []string, size int) [][]string {
	var out [][]string
	for len(names) > size {
		out = append(out, names[:size:size])
		names = names[size:]
	}
	if len(names) > 0 {
		out = append(out, names)
	}
	return out
}
