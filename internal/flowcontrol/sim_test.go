package flowcontrol

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// The simulation drives the limiter state machine single-threaded on a
// simulated clock against a simulated server, so that the algorithm can be
// judged on throughput and refusals without any real time passing.

// simServer admits at most q requests per key in any rolling second
// (refused ones do not count), like the Alibaba Cloud flow control the
// governor is built for; q = 0 is no limit. With throttleRate > 0 it also
// refuses that share of requests at random, whatever the rate.
type simServer struct {
	q            int
	qAt          func(time.Duration) int // if set, q changes over time
	throttleRate float64
	rng          *rand.Rand
	admitted     map[string][]time.Duration
}

func (s *simServer) admit(key string, at time.Duration) bool {
	if s.throttleRate > 0 && s.rng.Float64() < s.throttleRate {
		return false
	}
	q := s.q
	if s.qAt != nil {
		q = s.qAt(at)
	}
	if q == 0 {
		return true
	}
	log := s.admitted[key]
	n := 0
	for i := len(log) - 1; i >= 0 && log[i] > at-time.Second; i-- {
		n++
	}
	if n >= q {
		return false
	}
	// Arrivals are processed in time order, so the log stays sorted.
	s.admitted[key] = append(log, at)
	return true
}

// simPhase is N requests to one key, sent by K workers.
type simPhase struct {
	key string
	n   int
	k   int
}

type simConfig struct {
	q            int
	qAt          func(time.Duration) int
	throttleRate float64
	latency      time.Duration
	jitter       time.Duration // each request's latency gets up to this much more
	maxRate      float64
	maxInFlight  int
	seed         uint64
	trace        func(string)
	// groups run concurrently; the phases of a group run one after another.
	groups [][]simPhase
}

type simResult struct {
	wall      time.Duration
	admitted  int
	refused   int
	maxWindow int // most requests a key had admitted in any rolling second
	byKey     map[string]int
}

func (r simResult) refusedShare() float64 { return float64(r.refused) / float64(r.admitted) }

type simEvent struct {
	at     time.Duration
	order  int
	kind   int // evAnswer or evWake
	worker *simWorker
	key    string
}

const (
	evArrive = iota
	evAnswer
	evWake
)

type simQueue []*simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].order < q[j].order
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)   { *q = append(*q, x.(*simEvent)) } //nolint:forcetypeassert // only simEvents are pushed
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

type simWorker struct {
	group    *simGroup
	grant    grant
	admitted bool
}

type simGroup struct {
	phases  []simPhase
	current int
	started int // requests of the current phase handed to workers
	done    int // requests of the current phase admitted
	workers []*simWorker
}

func (g *simGroup) phase() *simPhase {
	if g.current >= len(g.phases) {
		return nil
	}
	return &g.phases[g.current]
}

type simulation struct {
	cfg      simConfig
	epoch    time.Time
	now      time.Duration
	events   simQueue
	order    int
	server   simServer
	rng      *rand.Rand
	limiters map[string]*limiter
	waiting  map[string][]*simWorker
	res      simResult
}

func simulate(cfg simConfig) simResult {
	if cfg.maxInFlight == 0 {
		cfg.maxInFlight = DefaultMaxInFlight
	}
	rng := rand.New(rand.NewPCG(cfg.seed, 1))
	s := &simulation{
		cfg:      cfg,
		epoch:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		server:   simServer{q: cfg.q, qAt: cfg.qAt, throttleRate: cfg.throttleRate, rng: rng, admitted: map[string][]time.Duration{}},
		rng:      rng,
		limiters: map[string]*limiter{},
		waiting:  map[string][]*simWorker{},
		res:      simResult{byKey: map[string]int{}},
	}
	for _, phases := range cfg.groups {
		s.startPhase(&simGroup{phases: phases})
	}
	for s.events.Len() > 0 {
		e := heap.Pop(&s.events).(*simEvent) //nolint:forcetypeassert // only simEvents are pushed
		s.now = e.at
		switch e.kind {
		case evArrive:
			e.worker.admitted = s.server.admit(e.key, s.now)
		case evAnswer:
			s.answer(e.worker)
		case evWake:
			s.pump(e.key)
		}
	}
	for _, log := range s.server.admitted {
		for i := range log {
			j := i
			for j < len(log) && log[j] < log[i]+time.Second {
				j++
			}
			s.res.maxWindow = max(s.res.maxWindow, j-i)
		}
	}
	return s.res
}

func (s *simulation) schedule(e *simEvent) {
	s.order++
	e.order = s.order
	heap.Push(&s.events, e)
}

func (s *simulation) limiter(key string) *limiter {
	l := s.limiters[key]
	if l == nil {
		l = newLimiter(s.cfg.maxInFlight, s.cfg.maxRate, s.epoch)
		s.limiters[key] = l
	}
	return l
}

func (s *simulation) startPhase(g *simGroup) {
	p := g.phase()
	if p == nil {
		return
	}
	g.started, g.done = 0, 0
	g.workers = g.workers[:0]
	for range min(p.k, p.n) {
		w := &simWorker{group: g}
		g.workers = append(g.workers, w)
		g.started++
		s.want(w, p.key)
	}
}

// want queues w for a grant on key (FIFO, like Governor.Acquire).
func (s *simulation) want(w *simWorker, key string) {
	s.waiting[key] = append(s.waiting[key], w)
	s.pump(key)
}

// pump grants the waiting workers of key in order while the limiter allows.
func (s *simulation) pump(key string) {
	l := s.limiter(key)
	for len(s.waiting[key]) > 0 {
		g, ok, wakeAt := l.tryGrant(s.epoch.Add(s.now))
		if !ok {
			if !wakeAt.IsZero() {
				s.schedule(&simEvent{at: wakeAt.Sub(s.epoch), kind: evWake, key: key})
			}
			return
		}
		w := s.waiting[key][0]
		s.waiting[key] = s.waiting[key][1:]
		w.grant = g
		var j time.Duration
		if s.cfg.jitter > 0 {
			j = time.Duration(s.rng.Int64N(int64(s.cfg.jitter)))
		}
		// The server decides halfway; the answer takes the other half.
		s.schedule(&simEvent{at: s.now + s.cfg.latency/2 + j, kind: evArrive, worker: w, key: key})
		s.schedule(&simEvent{at: s.now + s.cfg.latency + j, kind: evAnswer, worker: w})
	}
}

func (s *simulation) answer(w *simWorker) {
	g := w.group
	p := g.phase()
	l := s.limiter(p.key)
	outcome := Success
	if !w.admitted {
		outcome = Throttled
	}
	l.done(w.grant, outcome, s.epoch.Add(s.now))
	for _, e := range l.takeEvents() {
		if s.cfg.trace != nil {
			s.cfg.trace(fmt.Sprintf("%v %s: %.2f -> %.2f (%s)", s.now.Round(time.Millisecond), p.key, e.old, e.new, e.reason))
		}
	}
	if !w.admitted && s.cfg.trace != nil {
		s.cfg.trace(fmt.Sprintf("%v %s: refused seq %d sent %v", s.now.Round(time.Millisecond), p.key, w.grant.seq, w.grant.at.Round(time.Millisecond)))
	}
	s.res.wall = max(s.res.wall, s.now)
	if !w.admitted {
		s.res.refused++
		s.want(w, p.key) // the same request again
		s.pump(p.key)
		return
	}
	s.res.admitted++
	s.res.byKey[p.key]++
	g.done++
	switch {
	case g.started < p.n:
		g.started++
		s.want(w, p.key)
	case g.done == p.n:
		g.current++
		s.startPhase(g)
	default:
		s.pump(p.key) // a slot is free for the others
	}
}

func (s simResult) String() string {
	return fmt.Sprintf("wall %v, %d admitted, %d refused (%.1f%%), max %d in a second",
		s.wall.Round(time.Millisecond), s.admitted, s.refused, 100*s.refusedShare(), s.maxWindow)
}

// TestSimulationSingleReads is target 1: N single reads by K workers against
// a server admitting Q per rolling second, the governor not told Q.
func TestSimulationSingleReads(t *testing.T) {
	const n, k, latency = 200, 10, 30 * time.Millisecond
	unlimited := simulate(simConfig{latency: latency, groups: [][]simPhase{{{key: "a", n: n, k: k}}}})
	if unlimited.refused != 0 {
		t.Fatalf("no limit: %v", unlimited)
	}
	for _, q := range []int{5, 15, 40, 200} {
		for _, jitter := range []time.Duration{0, 3 * time.Millisecond} {
			for seed := range uint64(3) {
				name := fmt.Sprintf("Q=%d/jitter=%v/seed=%d", q, jitter, seed)
				t.Run(name, func(t *testing.T) {
					r := simulate(simConfig{q: q, latency: latency, jitter: jitter, seed: seed,
						groups: [][]simPhase{{{key: "a", n: n, k: k}}}})
					ideal := time.Duration(float64(n) / float64(q) * float64(time.Second))
					budget := ideal*12/10 + unlimited.wall
					t.Logf("%v; ideal %v, wall/ideal %.3f", r, ideal, float64(r.wall)/float64(ideal))
					if r.admitted != n {
						t.Errorf("admitted %d, want %d", r.admitted, n)
					}
					if r.refusedShare() > 0.10 {
						t.Errorf("refused %d = %.1f%% of admitted, want <= 10%%", r.refused, 100*r.refusedShare())
					}
					if r.wall > budget {
						t.Errorf("wall %v > 1.2 x %v + %v", r.wall, ideal, unlimited.wall)
					}
				})
			}
		}
	}
}
