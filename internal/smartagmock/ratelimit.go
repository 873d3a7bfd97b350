package smartagmock

import (
	"sync"
	"time"
)

const (
	// rateWindow is the span over which Options.RateLimit applies.
	rateWindow = time.Second
	// MaxRateLimit bounds Options.RateLimit, and so the memory of a window.
	MaxRateLimit = 100_000
)

// rateLimiter is the flow control of one action: at most limit admissions
// in any rolling rateWindow, refusals not counted. It keeps the instants of
// the admissions still inside the window in a ring that grows on demand up
// to the limit (MaxRateLimit when unlimited, where the peak then saturates).
type rateLimiter struct {
	mu       sync.Mutex
	limit    int         // 0: admit everything, still measure
	ring     []time.Time // admissions, oldest at head
	head, n  int
	admitted int
	refused  int
	peak     int // most admissions seen inside one window
}

// admit decides one request at now. A window is (now-rateWindow, now], so an
// admission exactly one window old no longer counts.
func (l *rateLimiter) admit(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	edge := now.Add(-rateWindow)
	for l.n > 0 && !l.ring[l.head].After(edge) {
		l.head = (l.head + 1) % len(l.ring)
		l.n--
	}
	if l.limit > 0 && l.n >= l.limit {
		l.refused++
		return false
	}
	if l.n == MaxRateLimit { // unlimited and flooded: forget the oldest
		l.head = (l.head + 1) % len(l.ring)
		l.n--
	}
	l.push(now)
	l.admitted++
	l.peak = max(l.peak, l.n)
	return true
}

// push appends at the tail, doubling the ring when full.
func (l *rateLimiter) push(t time.Time) {
	if l.n == len(l.ring) {
		size := min(max(2*len(l.ring), 16), MaxRateLimit)
		if l.limit > 0 {
			size = min(size, l.limit)
		}
		grown := make([]time.Time, size)
		for i := 0; i < l.n; i++ {
			grown[i] = l.ring[(l.head+i)%len(l.ring)]
		}
		l.ring, l.head = grown, 0
	}
	l.ring[(l.head+l.n)%len(l.ring)] = t
	l.n++
}

// setLimit changes the limit; admissions already in the window stay.
func (l *rateLimiter) setLimit(limit int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.limit = limit
	if limit > 0 && l.n > limit { // keep the newest, the ring must fit
		l.head = (l.head + l.n - limit) % len(l.ring)
		l.n = limit
	}
	if limit > 0 && len(l.ring) > limit {
		kept := make([]time.Time, limit)
		for i := 0; i < l.n; i++ {
			kept[i] = l.ring[(l.head+i)%len(l.ring)]
		}
		l.ring, l.head = kept, 0
	}
}

func (l *rateLimiter) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring, l.head, l.n = nil, 0, 0
	l.admitted, l.refused, l.peak = 0, 0, 0
}

func (l *rateLimiter) counts() (admitted, refused, peak int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.admitted, l.refused, l.peak
}

// Admitted is the number of requests of action that passed the flow control
// (authenticated Smartag requests; all of them without a RateLimit).
func (h *Handler) Admitted(action string) int {
	a, _, _ := h.limiterCounts(action)
	return a
}

// Refused is the number of requests of action refused by the flow control
// with Throttling.User (not those refused by a ThrottleRate fault).
func (h *Handler) Refused(action string) int {
	_, r, _ := h.limiterCounts(action)
	return r
}

// PeakAdmitted is the largest number of requests of action admitted within
// one rolling second: at most the RateLimit when one is set.
func (h *Handler) PeakAdmitted(action string) int {
	_, _, p := h.limiterCounts(action)
	return p
}

// SetRateLimit changes Options.RateLimit at run time (clamped to
// 0..MaxRateLimit); counters are kept.
func (h *Handler) SetRateLimit(perSecond int) {
	perSecond = min(max(perSecond, 0), MaxRateLimit)
	for _, l := range h.limiters {
		l.setLimit(perSecond)
	}
}

func (h *Handler) limiterCounts(action string) (admitted, refused, peak int) {
	l, ok := h.limiters[action]
	if !ok {
		return 0, 0, 0
	}
	return l.counts()
}
