package sagclient

import (
	"context"
	"time"
)

// outcome is what an answer tells the rate governor.
type outcome int

const (
	outcomeSuccess outcome = iota
	outcomeThrottled
	outcomeFailed
)

// gate is where every request waits for its turn. Without a governor it
// lets everything through at once.
type gate struct{}

type gateTicket struct{}

func (g *gate) acquire(ctx context.Context, _ string) (gateTicket, time.Duration, error) {
	return gateTicket{}, 0, context.Cause(ctx)
}

// paces reports whether throttled requests may simply be sent again: the
// governor then slows their action down.
func (g *gate) paces() bool { return false }

func (gateTicket) done(outcome) {}
