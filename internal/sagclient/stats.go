package sagclient

import (
	"maps"
	"sync"
	"time"
)

// Stats is what one read cost: requests per action, throttling refusals,
// retries and the time spent waiting for the rate governor. The provider
// logs it once per read.
type Stats struct {
	Requests     int
	ByAction     map[string]int
	Throttled    int
	Retries      int
	GovernorWait time.Duration
}

// statsRecorder accumulates Stats across the concurrent requests of one
// read. A nil recorder records nothing.
type statsRecorder struct {
	mu sync.Mutex
	s  Stats
}

func newStatsRecorder() *statsRecorder {
	return &statsRecorder{s: Stats{ByAction: map[string]int{}}}
}

func (r *statsRecorder) sent(action string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.s.Requests++
	r.s.ByAction[action]++
	r.mu.Unlock()
}

func (r *statsRecorder) throttled() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.s.Throttled++
	r.mu.Unlock()
}

func (r *statsRecorder) retried() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.s.Retries++
	r.mu.Unlock()
}

func (r *statsRecorder) waited(d time.Duration) {
	if r == nil || d <= 0 {
		return
	}
	r.mu.Lock()
	r.s.GovernorWait += d
	r.mu.Unlock()
}

func (r *statsRecorder) snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.s
	s.ByAction = maps.Clone(r.s.ByAction)
	return s
}
