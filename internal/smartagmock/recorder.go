package smartagmock

import (
	"encoding/json"
	"io"
	"maps"
	"math"
	"sync"
	"time"
)

// RecordedRequest is what the mock remembers of one request. It never holds
// the Signature, and a SecurityToken is replaced by "<redacted>".
type RecordedRequest struct {
	Method    string
	Action    string
	Params    map[string]string
	Status    int
	Code      string
	RequestID string
}

const (
	maxRecorded       = 1000
	maxCountedActions = 256    // distinct Action names counted
	maxCountedPairs   = 100000 // distinct (instance,user) pairs counted
	maxRecordedParams = 100    // parameters kept per recorded request
	maxRecordedValue  = 4096   // bytes kept per recorded value
	maxRecordedBytes  = 16384  // bytes kept per recorded request, names and values
	maxLoggedValue    = 256    // bytes kept per logged field
	redacted          = "<redacted>"
)

// recorder holds counters and the last requests; all bounded, all
// guarded by one mutex.
type recorder struct {
	mu      sync.Mutex
	actions map[string]int
	pairs   map[string]int
	ring    []RecordedRequest
	next    int // ring write position once full
}

func newRecorder() *recorder {
	return &recorder{actions: map[string]int{}, pairs: map[string]int{}}
}

// countAction runs as soon as the request is parsed, so it includes every
// outcome; its keys are bounded (128 bytes, 256 names), so unauthenticated
// garbage cannot grow it.
func (r *recorder) countAction(action string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.actions[action]; ok || len(r.actions) < maxCountedActions {
		r.actions[action]++
	}
}

// countPair runs once the request is authenticated: unauthenticated
// requests must not make the mock remember anything.
func (r *recorder) countPair(smartagID, userName string) {
	key := pairKey(smartagID, userName)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.pairs[key]; ok || len(r.pairs) < maxCountedPairs {
		r.pairs[key]++
	}
}

func (r *recorder) add(rr RecordedRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.ring) < maxRecorded {
		r.ring = append(r.ring, rr)
		return
	}
	r.ring[r.next] = rr
	r.next = (r.next + 1) % maxRecorded
}

// Count is the number of requests received for an action (all outcomes,
// unauthenticated ones included).
func (h *Handler) Count(action string) int {
	h.rec.mu.Lock()
	defer h.rec.mu.Unlock()
	return h.rec.actions[action]
}

// CountFor is the number of authenticated DescribeUserOnlineClients requests
// for the pair (all outcomes from the RAM check on).
func (h *Handler) CountFor(smartagID, userName string) int {
	h.rec.mu.Lock()
	defer h.rec.mu.Unlock()
	return h.rec.pairs[pairKey(smartagID, userName)]
}

// Requests returns copies of the last 1000 requests, oldest first.
func (h *Handler) Requests() []RecordedRequest {
	r := h.rec
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]RecordedRequest, 0, len(r.ring))
	for i := range r.ring {
		rr := r.ring[(r.next+i)%len(r.ring)]
		rr.Params = maps.Clone(rr.Params)
		out = append(out, rr)
	}
	return out
}

// Reset zeroes the counters (flow control ones included, with their
// windows), the recorded requests and the FailFirst bookkeeping. Nonces are
// kept, so a replay stays a replay, and so are the accounts as the changing
// actions left them: a fresh fixture needs a new handler.
func (h *Handler) Reset() {
	h.rec.mu.Lock()
	h.rec.actions = map[string]int{}
	h.rec.pairs = map[string]int{}
	h.rec.ring = nil
	h.rec.next = 0
	h.rec.mu.Unlock()

	h.faultMu.Lock()
	clear(h.failFirstSeen)
	clear(h.listingsSeen)
	h.faultMu.Unlock()

	for _, l := range h.limiters {
		l.reset()
	}
}

// recordParams copies the parameters without Signature, with the
// SecurityToken redacted, and bounded in size: at most maxRecordedParams
// entries of maxRecordedValue bytes each, maxRecordedBytes in all, so the
// ring of recent requests stays below 16 MiB whatever clients send.
func recordParams(params map[string]string) map[string]string {
	out := make(map[string]string, min(len(params), maxRecordedParams))
	budget := maxRecordedBytes
	for k, v := range params {
		if k == "Signature" {
			continue
		}
		if len(out) >= maxRecordedParams || budget <= 0 {
			break
		}
		if k == "SecurityToken" || k == "OIDCToken" {
			v = redacted
		}
		k = truncate(k, min(maxRecordedValue, budget))
		v = truncate(v, min(maxRecordedValue, max(budget-len(k), 0)))
		budget -= len(k) + len(v)
		out[k] = v
	}
	return out
}

// logLine is one JSON line of Options.Log. It names no secret by design:
// there is no field for Signature, SecurityToken or any AccessKeySecret.
type logLine struct {
	Time        string  `json:"time"`
	Method      string  `json:"method"`
	Action      string  `json:"action"`
	Version     string  `json:"version"`
	Region      string  `json:"region"`
	SmartAGID   string  `json:"smartag_id"`
	UserName    string  `json:"user_name"`
	AccessKeyID string  `json:"access_key_id"`
	Status      int     `json:"status"`
	Code        string  `json:"code"`
	RequestID   string  `json:"request_id"`
	LatencyMS   float64 `json:"latency_ms"`
}

// jsonLog serializes lines so concurrent requests never interleave bytes.
type jsonLog struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *jsonLog) write(at time.Time, method string, params map[string]string, rep *reply, requestID string, latency time.Duration) {
	if l == nil || l.w == nil {
		return
	}
	f := func(name string) string { return truncate(params[name], maxLoggedValue) }
	line := logLine{
		Time:        at.UTC().Format(time.RFC3339Nano),
		Method:      truncate(method, maxLoggedValue),
		Action:      f("Action"),
		Version:     f("Version"),
		Region:      f("RegionId"),
		SmartAGID:   f("SmartAGId"),
		UserName:    f("UserName"),
		AccessKeyID: f("AccessKeyId"),
		Status:      rep.status,
		Code:        rep.code,
		RequestID:   requestID,
		LatencyMS:   math.Round(float64(latency.Microseconds())) / 1000,
	}
	b, err := json.Marshal(line)
	if err != nil {
		return // cannot happen for this struct
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(b) // a broken log must not break serving
}
