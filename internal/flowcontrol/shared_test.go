package flowcontrol

import (
	"context"
	"sync"
	"testing"
	"time"
)

// memStore is a Store in memory: what one file is to several processes.
type memStore struct {
	mu   sync.Mutex
	keys map[string]*SharedKey
	down bool // every Update fails
}

func newMemStore() *memStore { return &memStore{keys: map[string]*SharedKey{}} }

func (s *memStore) Update(key string, f func(*SharedKey)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return ErrStoreUnavailable
	}
	k := s.keys[key]
	if k == nil {
		k = &SharedKey{}
		s.keys[key] = k
	}
	for other, ok := range s.keys {
		if other != key && ok.Rate.Limited && !ok.Rate.Tentative && (k.OtherRate == 0 || ok.Rate.Rate < k.OtherRate) {
			k.OtherRate = ok.Rate.Rate
		}
	}
	f(k)
	return nil
}

func (s *memStore) rate(key string) SharedRate {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := s.keys[key]; k != nil {
		return k.Rate
	}
	return SharedRate{}
}

// A rate on record is where a new governor starts, and governors sharing
// it pace their grants as one: the second waits for the first's spacing.
func TestSharedRateIsAdoptedAndPacesEveryGovernor(t *testing.T) {
	clock := newFakeClock()
	store := newMemStore()
	store.keys[testKey] = &SharedKey{Rate: SharedRate{Limited: true, Rate: 4, Base: 4, At: clock.Now().Add(-time.Minute)}}
	var joins []float64
	a := New(Options{Clock: clock, Store: store, OnJoin: func(_ string, _ int, rate float64) { joins = append(joins, rate) }})
	b := New(Options{Clock: clock, Store: store})

	mustAcquire(t, a, testKey).Done(Success)
	if a.Rate(testKey) != 4 || len(joins) != 1 || joins[0] != 4 {
		t.Fatalf("a starts at %v (joins %v), want the recorded 4", a.Rate(testKey), joins)
	}
	ch := acquireAsync(t.Context(), b)
	waitParked(t, b, 1)
	clock.Advance(capWindow/4 - time.Millisecond)
	select {
	case <-ch:
		t.Fatal("b was granted within a's spacing")
	default:
	}
	clock.Advance(time.Millisecond)
	got := <-ch
	if got.err != nil {
		t.Fatal(got.err)
	}
	got.tk.Done(Success)
}

// The ceiling spaces the grants of every governor sharing the store.
func TestSharedCeilingSpacesEveryGovernor(t *testing.T) {
	clock := newFakeClock()
	store := newMemStore()
	a := New(Options{Clock: clock, Store: store, MaxRate: 2})
	b := New(Options{Clock: clock, Store: store, MaxRate: 2})
	mustAcquire(t, a, testKey).Done(Success)
	ch := acquireAsync(t.Context(), b)
	waitParked(t, b, 1)
	clock.Advance(ceilingInterval(2) - time.Millisecond)
	select {
	case <-ch:
		t.Fatal("b was granted within the ceiling's spacing of a's grant")
	default:
	}
	clock.Advance(time.Millisecond)
	if got := <-ch; got.err != nil {
		t.Fatal(got.err)
	}
}

// A throttle learned by one governor is published at once and adopted by
// the other at its next request; the processes of a key split MaxInFlight.
func TestThrottleIsSharedAndInFlightSplit(t *testing.T) {
	clock := newFakeClock()
	store := newMemStore()
	a := New(Options{Clock: clock, Store: store})
	b := New(Options{Clock: clock, Store: store})
	mustAcquire(t, b, testKey).Done(Success) // b is seen using the key
	var tickets []*Ticket
	for range DefaultMaxInFlight / 2 {
		tickets = append(tickets, mustAcquire(t, a, testKey))
	}
	ctx, cancel := context.WithCancel(t.Context())
	ch := acquireAsync(ctx, a)
	waitParked(t, a, 1) // its half of the in-flight bound is used
	// The waiter leaves before the answers come: granted after the first
	// throttle, it would be a verification probe, and its success would
	// undo the decrease this test is about.
	cancel()
	if got := <-ch; got.err == nil {
		t.Fatal("a waiter beyond a's half of the in-flight bound was granted")
	}
	clock.Advance(10 * time.Millisecond)
	for _, tk := range tickets[5:] {
		tk.Done(Throttled)
	}
	for _, tk := range tickets[:5] {
		tk.Done(Success)
	}
	r := store.rate(testKey)
	if !r.Limited || r.Rate != a.Rate(testKey) || r.Rate < 5 {
		t.Fatalf("recorded %+v, a has %v", r, a.Rate(testKey))
	}
	clock.Advance(2 * capWindow)
	mustAcquire(t, b, testKey).Done(Success)
	if b.Rate(testKey) != r.Rate {
		t.Errorf("b paces at %v, want the shared %v", b.Rate(testKey), r.Rate)
	}
}

// After one action was throttled, another action's first contact starts
// at that rate (tentatively) instead of sending freely: in one governor,
// and through the store for another process.
func TestFirstContactAfterAThrottleIsCautious(t *testing.T) {
	clock := newFakeClock()
	store := newMemStore()
	g := New(Options{Clock: clock, Store: store})
	var tickets []*Ticket
	for range 6 {
		tickets = append(tickets, mustAcquire(t, g, testKey))
	}
	for _, tk := range tickets[:5] {
		tk.Done(Success)
	}
	tickets[5].Done(Throttled)
	learned := g.Rate(testKey)
	if learned == 0 {
		t.Fatal("nothing learned")
	}
	mustAcquire(t, g, "cn-shanghai/Other").Done(Success)
	if got := g.Rate("cn-shanghai/Other"); got != learned {
		t.Errorf("another action of this governor starts at %v, want %v", got, learned)
	}
	other := New(Options{Clock: clock, Store: store})
	mustAcquire(t, other, "cn-shanghai/Third").Done(Success)
	if got := other.Rate("cn-shanghai/Third"); got != learned {
		t.Errorf("another process's new action starts at %v, want %v", got, learned)
	}
}

// A store that fails leaves the governor alone, granting as before.
func TestFailingStoreLeavesTheGovernorAlone(t *testing.T) {
	clock := newFakeClock()
	store := newMemStore()
	store.down = true
	g := New(Options{Clock: clock, Store: store})
	for range 2 * DefaultMaxInFlight {
		mustAcquire(t, g, testKey).Done(Success)
	}
	if clock.pending() != 0 {
		t.Error("a failing store made requests wait")
	}
}
