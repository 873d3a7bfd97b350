package flowcontrol

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

func mustAcquire(t *testing.T, g *Governor, key string) *Ticket {
	t.Helper()
	tk, err := g.Acquire(t.Context(), key)
	if err != nil {
		t.Fatalf("Acquire(%q): %v", key, err)
	}
	return tk
}

// acquireAsync calls Acquire in a goroutine; the result arrives on the
// returned channel.
type acquired struct {
	tk  *Ticket
	err error
}

func acquireAsync(ctx context.Context, g *Governor) <-chan acquired {
	ch := make(chan acquired, 1)
	go func() {
		tk, err := g.Acquire(ctx, testKey)
		ch <- acquired{tk, err}
	}()
	return ch
}

func TestFastPathDoesNotWait(t *testing.T) {
	clock := newFakeClock()
	g := New(Options{Clock: clock})
	for range 100 {
		tk := mustAcquire(t, g, "cn-shanghai/DescribeUserOnlineClients")
		if tk.Waited() != 0 {
			t.Fatalf("waited %v without any limit", tk.Waited())
		}
		tk.Done(Success)
	}
	if clock.pending() != 0 {
		t.Errorf("%d timers set on the fast path", clock.pending())
	}
}

func TestNilGovernorGrantsEverything(t *testing.T) {
	var g *Governor
	tk, err := g.Acquire(t.Context(), testKey)
	if err != nil || tk == nil {
		t.Fatalf("Acquire on nil: %v, %v", tk, err)
	}
	tk.Done(Throttled) // must not panic
	if tk.Waited() != 0 || g.Rate(testKey) != 0 {
		t.Error("a nil governor has no state")
	}
}

func TestInFlightBoundBlocksUntilDone(t *testing.T) {
	g := New(Options{MaxInFlight: 2, Clock: newFakeClock()})
	a := mustAcquire(t, g, testKey)
	mustAcquire(t, g, testKey)
	third := acquireAsync(t.Context(), g)
	waitParked(t, g, 1)
	select {
	case r := <-third:
		t.Fatalf("third acquired past MaxInFlight 2: %+v", r)
	default:
	}
	a.Done(Failed)
	if r := <-third; r.err != nil {
		t.Fatal(r.err)
	}
	// Another key has its own slots.
	mustAcquire(t, g, "other")
}

func TestWaitersServedInOrder(t *testing.T) {
	g := New(Options{MaxInFlight: 1, Clock: newFakeClock()})
	held := mustAcquire(t, g, testKey)
	const n = 8
	order := make(chan int, n)
	release := make([]chan struct{}, n)
	var wg sync.WaitGroup
	for i := range n {
		release[i] = make(chan struct{})
		wg.Go(func() {
			tk, err := g.Acquire(context.Background(), testKey)
			if err != nil {
				t.Error(err)
				return
			}
			order <- i
			<-release[i]
			tk.Done(Success)
		})
		waitParked(t, g, i+1) // queue them in a known order
	}
	held.Done(Success)
	for want := range n {
		if got := <-order; got != want {
			t.Fatalf("waiter %d served before waiter %d", got, want)
		}
		close(release[want])
	}
	wg.Wait()
}

func TestCancelWhileWaitingHoldsNothing(t *testing.T) {
	clock := newFakeClock()
	g := New(Options{MaxInFlight: 1, Clock: clock})
	held := mustAcquire(t, g, testKey)

	cause := errors.New("plan interrupted")
	ctx, cancel := context.WithCancelCause(t.Context())
	first := acquireAsync(ctx, g)
	waitParked(t, g, 1)
	second := acquireAsync(t.Context(), g)
	waitParked(t, g, 2)

	cancel(cause)
	if r := <-first; !errors.Is(r.err, cause) || r.tk != nil {
		t.Fatalf("cancelled Acquire returned %+v, want the cause %v", r, cause)
	}
	// The cancelled head left the queue; the one behind it is next.
	held.Done(Success)
	r := <-second
	if r.err != nil {
		t.Fatal(r.err)
	}
	r.tk.Done(Success)
	if waiting, inFlight := queued(g, testKey); waiting != 0 || inFlight != 0 {
		t.Errorf("%d waiting, %d in flight after all done; want nothing left", waiting, inFlight)
	}
	if clock.pending() != 0 {
		t.Errorf("%d timers left behind", clock.pending())
	}
}

func TestCancelWhileWaitingOnTimer(t *testing.T) {
	clock := newFakeClock()
	g := New(Options{MaxRate: 1, Clock: clock})
	mustAcquire(t, g, testKey).Done(Success)
	ctx, cancel := context.WithCancel(t.Context())
	w := acquireAsync(ctx, g)
	waitParked(t, g, 1)
	if clock.pending() != 1 {
		t.Fatalf("%d timers, want the waiter's one", clock.pending())
	}
	cancel()
	if r := <-w; !errors.Is(r.err, context.Canceled) {
		t.Fatalf("got %+v, want context.Canceled", r)
	}
	if clock.pending() != 0 {
		t.Errorf("%d timers left behind", clock.pending())
	}
	// No token was spent: the next request goes exactly one interval
	// after the first.
	next := acquireAsync(t.Context(), g)
	waitParked(t, g, 1)
	clock.Advance(ceilingInterval(1))
	if r := <-next; r.err != nil || r.tk.Waited() != ceilingInterval(1) {
		t.Errorf("got %+v (waited %v), want a ticket after %v", r, r.tk.Waited(), ceilingInterval(1))
	}
}

func TestAcquireOnEndedContext(t *testing.T) {
	g := New(Options{Clock: newFakeClock()})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := g.Acquire(ctx, testKey); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if _, inFlight := queued(g, testKey); inFlight != 0 {
		t.Errorf("%d in flight after a refused Acquire", inFlight)
	}
}

func TestCeilingWithGoroutines(t *testing.T) {
	// Four callers race for a key capped at 3 per second, on a fake
	// clock that moves only when all of them wait.
	clock := newFakeClock()
	g := New(Options{MaxRate: 3, Clock: clock})
	const callers, each = 4, 6
	var mu sync.Mutex
	var sent []time.Duration
	active := callers
	var wg sync.WaitGroup
	done := make(chan struct{})
	for range callers {
		wg.Go(func() {
			defer func() {
				mu.Lock()
				active--
				mu.Unlock()
			}()
			for range each {
				tk, err := g.Acquire(context.Background(), testKey)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				sent = append(sent, clock.Now().Sub(testEpoch))
				mu.Unlock()
				tk.Done(Success)
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	for {
		select {
		case <-done:
			if got := maxInAnySecond(sent); got > 3 {
				t.Errorf("%d requests in one second, ceiling 3", got)
			}
			if len(sent) != callers*each {
				t.Errorf("%d requests, want %d", len(sent), callers*each)
			}
			return
		default:
		}
		// Step time only once every caller still running is parked.
		mu.Lock()
		running := active
		mu.Unlock()
		if running > 0 && parked(g) == running && clock.pending() == 1 {
			clock.Advance(10 * time.Millisecond)
		}
		runtime.Gosched()
	}
}

func TestWaitedAndRateChanges(t *testing.T) {
	clock := newFakeClock()
	var changes []string
	g := New(Options{Clock: clock, OnRateChange: func(key string, _, _ float64, reason string) {
		changes = append(changes, key+" "+reason)
	}})
	// 3 admitted, then a refusal: the rate becomes 3 and the key waits.
	var tks []*Ticket
	for range 4 {
		tks = append(tks, mustAcquire(t, g, testKey))
	}
	clock.Advance(30 * time.Millisecond)
	for _, tk := range tks[:3] {
		tk.Done(Success)
	}
	tks[3].Done(Throttled)
	if got := g.Rate(testKey); got != 3 {
		t.Fatalf("Rate = %v, want 3", got)
	}
	if len(changes) != 1 || changes[0] != testKey+" "+ReasonThrottled {
		t.Fatalf("changes %v", changes)
	}
	// Three verification probes go at once, one after the other...
	for range 3 {
		p := mustAcquire(t, g, testKey)
		clock.Advance(30 * time.Millisecond)
		p.Done(Throttled)
	}
	// ...then the 3 admitted hold the second until capWindow after them.
	w := acquireAsync(t.Context(), g)
	waitParked(t, g, 1)
	clock.Advance(capWindow - 120*time.Millisecond)
	r := <-w
	if r.err != nil {
		t.Fatal(r.err)
	}
	if want := capWindow - 120*time.Millisecond; r.tk.Waited() != want {
		t.Errorf("Waited() = %v, want %v", r.tk.Waited(), want)
	}
	r.tk.Done(Success)
	r.tk.Done(Throttled) // a second Done is ignored
	if got := g.Rate(testKey); got != 3 {
		t.Errorf("Rate = %v after a repeated Done, want 3", got)
	}
}
