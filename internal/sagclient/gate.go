package sagclient

import (
	"context"
	"errors"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

// gate is where every request waits for its turn: one rate governor per
// client (one provider configuration), keyed by region and action, shared
// by every read and by the audit fan-out. It learns each action's rate
// from the answers, stays under a configured ceiling, and bounds the
// requests in flight.
type gate struct {
	gov *flowcontrol.Governor
}

func newGate(maxRate float64, logger Logger) *gate {
	return &gate{gov: flowcontrol.New(flowcontrol.Options{
		MaxRate: maxRate,
		OnRateChange: func(key string, old, updated float64, reason string) {
			logger.Debug(context.Background(), "Smartag request rate changed", map[string]any{
				"key": key, "old_rps": old, "new_rps": updated, "reason": reason,
			})
		},
	})}
}

// acquire waits until a request of key may be sent, or ctx ends.
func (g *gate) acquire(ctx context.Context, key string) (*flowcontrol.Ticket, time.Duration, error) {
	t, err := g.gov.Acquire(ctx, key)
	if err != nil {
		return nil, 0, err
	}
	return t, t.Waited(), nil
}

// outcomeOf is what an attempt tells the governor: any answer of the API
// that is not a throttle shows the request was admitted; no answer at all
// carries no rate signal.
func outcomeOf(err error) flowcontrol.Outcome {
	var apiErr *APIError
	switch {
	case err == nil:
		return flowcontrol.Success
	case isThrottling(err):
		return flowcontrol.Throttled
	case errors.As(err, &apiErr):
		return flowcontrol.Success
	}
	return flowcontrol.Failed
}
