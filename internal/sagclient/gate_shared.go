package sagclient

import (
	"context"
	"sync"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
	"github.com/opensmartag/terraform-provider-smartag/internal/flowstate"
)

// newGate builds the gate of identity id; with cfg.FlowStateDir its
// governor shares what it learns with this machine's other runs of the
// same identity.
func newGate(cfg Config, id string) *gate {
	g := &gate{}
	opts := flowcontrol.Options{MaxRate: cfg.MaxRequestsPerSecond}
	if cfg.FlowStateDir != "" {
		sh := &sharedState{store: flowstate.Open(cfg.FlowStateDir, id)}
		opts.Store, opts.OnJoin = sh.store, sh.joined
		g.shared = sh
	}
	g.gov = flowcontrol.New(opts)
	return g
}

// sharedState is a gate's link to the state shared with other runs. The
// governor reports without a request context, so what it has to say waits
// here for the next request's log.
type sharedState struct {
	store *flowstate.Store
	mu    sync.Mutex
	joins []joinEvent
}

type joinEvent struct {
	key       string
	processes int
	rate      float64
}

func (s *sharedState) joined(key string, processes int, rate float64) {
	s.mu.Lock()
	s.joins = append(s.joins, joinEvent{key, processes, rate})
	s.mu.Unlock()
}

// report logs, with ctx, what happened to the shared state since the last
// call: the store's notices, and each action's first contact with it.
func (s *sharedState) report(ctx context.Context, logger Logger) {
	if s == nil {
		return
	}
	for _, n := range s.store.TakeNotices() {
		if n.Warning {
			logger.Warn(ctx, n.Message, n.Fields)
		} else {
			infoOrDebug(logger)(ctx, n.Message, n.Fields)
		}
	}
	s.mu.Lock()
	joins := s.joins
	s.joins = nil
	s.mu.Unlock()
	for _, j := range joins {
		// start_rps 0: no limit known, the action starts at full speed.
		infoOrDebug(logger)(ctx, "Flow control joined the state shared with other runs", map[string]any{
			"key": j.key, "runs": j.processes, "start_rps": j.rate, "state_file": s.store.Path(),
		})
	}
}

// infoLogger is a Logger that also logs at INFO.
type infoLogger interface {
	Info(ctx context.Context, msg string, fields map[string]any)
}

// infoOrDebug is logger's Info if it has one, else its Debug.
func infoOrDebug(logger Logger) func(context.Context, string, map[string]any) {
	if l, ok := logger.(infoLogger); ok {
		return l.Info
	}
	return logger.Debug
}

// DefaultFlowStateDir is where flow control is shared unless configured:
// os.UserCacheDir()/terraform-provider-smartag.
func DefaultFlowStateDir() (string, error) { return flowstate.DefaultDir() }
