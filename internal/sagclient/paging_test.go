package sagclient

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

func TestForEach_firstErrorWinsOverCancellations(t *testing.T) {
	boom := errors.New("boom")
	err := forEach(context.Background(), 100, 4, func(ctx context.Context, i int) error {
		if i == 2 {
			return boom
		}
		<-ctx.Done()
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
}

func TestForEach_stoppedContextIsAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := forEach(ctx, 10, 2, func(context.Context, int) error { calls++; return nil })
	if !errors.Is(err, context.Canceled) || calls != 0 {
		t.Fatalf("%d calls, %v", calls, err)
	}
}

func TestBatches(t *testing.T) {
	names := make([]string, 101)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	got := batches(names, 50)
	if len(got) != 3 || len(got[0]) != 50 || len(got[2]) != 1 || got[2][0] != "100" {
		t.Fatalf("batches %v", got)
	}
	if batches(nil, 50) != nil {
		t.Error("no names, no batches")
	}
}
