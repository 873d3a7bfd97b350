package flowcontrol

import (
	"context"
	"sync"
	"time"
)

// DefaultMaxInFlight bounds the requests in flight per key when
// Options.MaxInFlight is 0: enough to keep a 30-100 ms API busy at the
// rates actions admit, few enough not to open hundreds of connections.
const DefaultMaxInFlight = 16

// Options configure a Governor. The zero value is valid: no ceiling,
// DefaultMaxInFlight, the real clock.
type Options struct {
	// MaxRate, if positive, is a ceiling in requests per second that no key
	// ever exceeds in any rolling second, whatever it has learned (for a
	// quota shared with other tools). Below 1, one request per 1/MaxRate
	// seconds.
	MaxRate float64
	// MaxInFlight bounds the requests of one key in flight at once;
	// 0 means DefaultMaxInFlight.
	MaxInFlight int
	// Clock is the source of time; nil means the real clock.
	Clock Clock
	// OnRateChange, if set, is called (outside any lock) when a key's
	// learned limit changes: from and to in requests per second, 0 meaning
	// no limit; reason is one of the Reason constants.
	OnRateChange func(key string, from, to float64, reason string)
	// Store, if set, is shared with the governors of other processes that
	// spend the same quota; nil means this governor is alone.
	Store Store
	// OnJoin, if set, is called (outside any lock) once per key, when it
	// first synced with Store: processes is how many use the key (this one
	// included), rate what it starts at (0: no limit known).
	OnJoin func(key string, processes int, rate float64)
}

// Governor paces requests per key (say region and API action) to stay just
// under a rate limit the server does not publish. Whoever shares a quota
// should share one Governor (the client keeps one per identity: credentials
// and endpoint), so that what one caller learns paces the others. It is
// safe for concurrent use. A nil *Governor grants everything at once.
type Governor struct {
	opts  Options
	owner string // this governor's name in the Store
	mu    sync.RWMutex
	state map[string]*keyState
	// cautious is the lowest rate a key of this governor measured at a
	// throttle (0: none yet): a key met afterwards starts at it.
	cautious float64
}

// New returns a Governor with opts.
func New(opts Options) *Governor {
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = DefaultMaxInFlight
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	return &Governor{opts: opts, owner: newOwner(), state: map[string]*keyState{}}
}

// keyState is one key's limiter and its queue of waiting callers.
type keyState struct {
	gov    *Governor
	name   string
	mu     sync.Mutex
	lim    *limiter
	queue  []*waiter // FIFO; only the head may be granted
	parked int       // waiters blocked in select, for tests
	// joined is set at the key's first sync with the Store; then the join
	// is reported once.
	joined, reported bool
}

type waiter struct{ wake chan struct{} }

func (g *Governor) key(name string) *keyState {
	g.mu.RLock()
	k := g.state[name]
	g.mu.RUnlock()
	if k != nil {
		return k
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if k = g.state[name]; k == nil {
		k = &keyState{gov: g, name: name, lim: newLimiter(g.opts.MaxInFlight, g.opts.MaxRate, g.opts.Clock.Now(), g.cautious)}
		k.lim.peer.on = g.opts.Store != nil
		g.state[name] = k
	}
	return k
}

// Ticket is the permission to send one request. Report its outcome with
// Done exactly once, whatever happens to the request.
type Ticket struct {
	k      *keyState
	grant  grant
	waited time.Duration
	done   bool
}

// noTicket is what a nil Governor grants.
var noTicket = &Ticket{}

// Acquire waits until key may send one request: a slot among MaxInFlight,
// and room under the ceiling and the learned limit. Callers are served in
// the order they arrived. If ctx ends first it returns context.Cause(ctx)
// and holds nothing.
func (g *Governor) Acquire(ctx context.Context, key string) (*Ticket, error) {
	if g == nil {
		return noTicket, nil
	}
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	k := g.key(key)
	k.mu.Lock()
	now := g.opts.Clock.Now()
	if len(k.queue) == 0 {
		if gr, ok, _ := k.tryGrant(now); ok {
			k.unlockAndReport()
			return &Ticket{k: k, grant: gr}, nil
		}
	}
	return k.wait(ctx, now)
}

// wait queues the caller and blocks until it is granted at the head of
// the queue or ctx ends. Only the waiter's own goroutine grants it, so a
// cancelled waiter can never have been granted behind its back. k.mu is
// held on entry and released on return.
func (k *keyState) wait(ctx context.Context, start time.Time) (*Ticket, error) {
	clock := k.gov.opts.Clock
	w := &waiter{wake: make(chan struct{}, 1)}
	k.queue = append(k.queue, w)
	now := start
	for {
		var timer Timer
		var fire <-chan time.Time
		if k.queue[0] == w {
			gr, ok, wakeAt := k.tryGrant(now)
			if ok {
				k.queue[0] = nil
				k.queue = k.queue[1:]
				k.wakeHead() // the next one may be granted too
				k.unlockAndReport()
				return &Ticket{k: k, grant: gr, waited: now.Sub(start)}, nil
			}
			if !wakeAt.IsZero() {
				timer = clock.NewTimer(wakeAt.Sub(now))
				fire = timer.C()
			}
		}
		k.parked++
		k.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-fire:
		}
		if timer != nil {
			timer.Stop()
		}
		k.mu.Lock()
		k.parked--
		if ctx.Err() != nil {
			k.leave(w)
			k.mu.Unlock()
			return nil, context.Cause(ctx)
		}
		now = clock.Now()
	}
}

// leave removes a cancelled waiter; if it was the head, the next one
// takes its turn.
func (k *keyState) leave(w *waiter) {
	for i, q := range k.queue {
		if q == w {
			k.queue = append(k.queue[:i], k.queue[i+1:]...)
			if i == 0 {
				k.wakeHead()
			}
			return
		}
	}
}

func (k *keyState) wakeHead() {
	if len(k.queue) == 0 {
		return
	}
	select {
	case k.queue[0].wake <- struct{}{}:
	default:
	}
}

// Done reports the outcome of the ticket's request and frees its slot.
// Calls after the first are ignored.
func (t *Ticket) Done(outcome Outcome) {
	if t == nil || t.k == nil {
		return
	}
	k := t.k
	k.mu.Lock()
	if t.done {
		k.mu.Unlock()
		return
	}
	t.done = true
	now := k.gov.opts.Clock.Now()
	k.finish(t.grant, outcome, now)
	k.wakeHead()
	k.unlockAndReport()
}

// Waited is how long Acquire waited for the ticket.
func (t *Ticket) Waited() time.Duration {
	if t == nil {
		return 0
	}
	return t.waited
}

// Refusals is how many answers to key's requests were refusals, and
// how many requests were granted.
func (g *Governor) Refusals(key string) (refused, granted int) {
	if g == nil {
		return 0, 0
	}
	g.mu.RLock()
	k := g.state[key]
	g.mu.RUnlock()
	if k == nil {
		return 0, 0
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.lim.refusals, k.lim.granted
}

// Rate is the limit key has learned, in requests per second; 0 means none
// (no throttle seen, or probing grew past any limit).
func (g *Governor) Rate(key string) float64 {
	if g == nil {
		return 0
	}
	g.mu.RLock()
	k := g.state[key]
	g.mu.RUnlock()
	if k == nil {
		return 0
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.lim.currentRate()
}
