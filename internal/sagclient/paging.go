package sagclient

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// fanOutLimit bounds the requests one read has in flight. The rate
// governor decides how fast they go; this only keeps a read of a large
// instance from holding hundreds of goroutines and connections.
const fanOutLimit = 16

// maxPages bounds a listing: a million accounts at 100 per page. A hostile
// TotalCount must not start a billion requests.
const maxPages = 10_000

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

// pageCount is how many pages of size hold total entries.
func pageCount(total, size int) (int, error) {
	pages := (total + size - 1) / size
	if pages > maxPages {
		return 0, fmt.Errorf("the listing claims %d entries, more than the %d pages this client reads", total, maxPages)
	}
	return max(pages, 1), nil
}

// allPages reads a paged listing: page 1 first, for the total, then every
// other page concurrently. It returns the pages in order.
func allPages[P any](ctx context.Context, pageSize int, fetch func(ctx context.Context, page int) (P, int, error)) ([]P, error) {
	first, total, err := fetch(ctx, 1)
	if err != nil {
		return nil, err
	}
	n, err := pageCount(total, pageSize)
	if err != nil {
		return nil, err
	}
	pages := make([]P, n)
	pages[0] = first
	err = forEach(ctx, n-1, fanOutLimit, func(ctx context.Context, i int) error {
		p, _, err := fetch(ctx, i+2)
		pages[i+1] = p
		return err
	})
	if err != nil {
		return nil, err
	}
	return pages, nil
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
