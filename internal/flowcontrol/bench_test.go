package flowcontrol

import (
	"context"
	"testing"
)

// BenchmarkAcquireDone is the cost the governor adds to a request on a key
// that has never been throttled: the fast path every read takes.
func BenchmarkAcquireDone(b *testing.B) {
	g := New(Options{})
	ctx := context.Background()
	for b.Loop() {
		tk, err := g.Acquire(ctx, "cn-shanghai/DescribeUserOnlineClients")
		if err != nil {
			b.Fatal(err)
		}
		tk.Done(Success)
	}
}

// BenchmarkAcquireDoneParallel is the same with all CPUs on one key, as
// Terraform's parallel reads do.
func BenchmarkAcquireDoneParallel(b *testing.B) {
	g := New(Options{})
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tk, err := g.Acquire(ctx, "cn-shanghai/DescribeUserOnlineClients")
			if err != nil {
				b.Error(err)
				return
			}
			tk.Done(Success)
		}
	})
}
