package flowcontrol

import (
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock whose time moves only when the test says so.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	clock *fakeClock
	at    time.Time
	c     chan time.Time
}

var testEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newFakeClock() *fakeClock { return &fakeClock{now: testEpoch} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clock: c, at: c.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.c <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the time by d and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool {
		if t.at.After(c.now) {
			return false
		}
		t.c <- c.now
		return true
	})
}

// pending is the number of timers set and not yet fired or stopped.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.timers)
	c.timers = slices.DeleteFunc(c.timers, func(o *fakeTimer) bool { return o == t })
	return len(c.timers) < n
}

// testKey is the key of the tests that need only one.
const testKey = "k"

// waitParked blocks until n callers of Acquire on testKey are blocked
// waiting.
// A waiter counts as parked only after it has set its timer, so that
// advancing the fake clock afterwards cannot miss it.
func waitParked(t *testing.T, g *Governor, n int) {
	t.Helper()
	for parked(g) != n {
		runtime.Gosched()
	}
}

func parked(g *Governor) int {
	k := g.key(testKey)
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.parked
}

func queued(g *Governor, key string) (waiting, inFlight int) {
	k := g.key(key)
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.queue), k.lim.inFlight
}
