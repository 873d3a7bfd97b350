package flowcontrol

import (
	"testing"
	"time"
)

// A server that refuses everything admits nothing the governor could
// measure; it must still slow down to its floor rate, not send as fast
// as answers come back.
func TestLimiter_serverRefusingEverythingIsNotHammered(t *testing.T) {
	start := time.Unix(1_800_000_000, 0)
	l := newLimiter(DefaultMaxInFlight, 0, start, 0)
	now := start
	granted := 0
	for now.Before(start.Add(60 * time.Second)) {
		g, ok, wakeAt := l.tryGrant(now)
		if !ok {
			if wakeAt.IsZero() {
				t.Fatal("nothing in flight, yet no grant and no time to wake")
			}
			now = wakeAt
			continue
		}
		granted++
		now = now.Add(10 * time.Millisecond)
		l.done(g, Throttled, now)
	}
	// At the floor rate the minute holds a few dozen requests; the answers'
	// pace (10 ms) would allow 6,000.
	if granted > 100 {
		t.Fatalf("%d requests in a minute to a server refusing everything", granted)
	}
}
