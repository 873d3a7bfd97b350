package flowcontrol

import (
	"math"
	"time"
)

// Tuning constants; doc.go explains the choices.
const (
	// serverWindow is the server's accounting period: limits are per second.
	serverWindow = time.Second
	// guard widens our window past the server's, so that network jitter
	// (the first request of a window arriving late, its last one early)
	// cannot squeeze one window of our grants into one server second.
	guard = 50 * time.Millisecond
	// capWindow is the window in which at most floor(rate) grants that
	// were not refused may fall, and over which they are paced.
	capWindow = serverWindow + guard
	// ceilingWindow is capWindow for the user's ceiling: a promise that
	// the service never sees more in any second, so it allows for the
	// jitter of a loaded machine (a first request held back by a new
	// connection, say), not just of the network. It costs 15% of the
	// rate, and only at the ceiling.
	ceilingWindow = serverWindow + 150*time.Millisecond
	// reorderMargin: requests sent closer together than this may reach the
	// server in either order, so one admitted just after a refused one
	// says nothing about the limit.
	reorderMargin = 20 * time.Millisecond
	// probePeriod and probeStep shape the upward probe after a decrease:
	// base + step·(t/probePeriod)³ with step = max(1, probeStep·base).
	probePeriod = 10 * time.Second
	probeStep   = 0.1
	// minRate is the lowest rate (one request every five seconds), reached
	// only when nothing we sent was admitted.
	minRate = 0.2
	// demoMemory is how long a rate the server demonstrably admitted keeps
	// throttles from decreasing below it.
	demoMemory = 2 * time.Second
	// maxNoisy bounds the extra verification probes after contradicted
	// decreases.
	maxNoisy = 3
	// maxLearnedRate: past this the key is unlimited again (the grant log
	// could not count such rates exactly anyway).
	maxLearnedRate = logSize / 2
	// noisyGrowth: once this many decreases in a row were proved not
	// about our rate, the rate grows as fast as a borrowed one.
	noisyGrowth = 2
	// contendedStep is the additive probe of a contended key: a share of
	// its base gained per second (at least one request per second).
	contendedStep = 0.2
	// contendedMemory is how long the last sign of someone else keeps the
	// key probing as a contended one.
	contendedMemory = 10 * time.Second
)

type rateEvent struct {
	from, to float64
	reason   string
}

// grant is one request let through, as the limiter knows it.
type grant struct {
	seq uint64
	at  time.Duration
}

// rateState is what a decrease changes and an undo restores.
type rateState struct {
	limited bool          // a throttle was believed: rate applies
	rate    float64       // requests per server second
	base    float64       // the rate the last decrease measured
	since   time.Duration // when: the origin of the upward probe
	// tentative: rate was taken from another key, not measured on this
	// one; it doubles every second until a throttle measures it.
	tentative bool
	// contended: someone else was seen spending the quota lately (a burst
	// of ours mostly refused while others were admitted, or a probe step
	// admitted above the share measured). The probe is then also additive
	// (see grow), so that a share left free is taken up within seconds.
	contended bool
}

// estimate is the evidence behind the last decrease.
type estimate struct {
	active      bool
	throttled   uint64        // the refused grant
	throttledAt time.Duration // when it was sent
	reportedAt  time.Duration // when its refusal arrived
	from, to    uint64        // the grants measured: [from, to) but throttled
	count       int           // how many of them were not refused
	floor       float64       // the rate it may not refine below
	rate        float64       // the rate it set; refinements apply while it holds
	deadline    time.Duration // until then the second that refused it still stood
	probesLeft  int           // verification probes still to send, one at a time
	probeOut    bool          // one is in flight
	probeSeq    uint64        // the last one sent
	before      rateState     // what an undo restores
	// unconfirmed: after decreases that turned out wrong, a new one is
	// not applied until requests sent after it are refused too (refusedAfter
	// of them): meanwhile requests flow as before, and the first admitted
	// undoes it. Random refusals then cost their attempts, not a stall.
	unconfirmed  bool
	refusedAfter int
	// sticky: admissions while the refusing second stood showed a quota
	// someone else spends, not noise: they no longer undo the decrease.
	sticky bool
}

// maxRefusedRun is how many refusals in a row are not counted in the
// learned pacing (the server did not count them either); see refusedRun.
// More than a full round of in-flight requests, so that discovery at the
// first throttle is unaffected.
const maxRefusedRun = 2 * DefaultMaxInFlight

// limiter is the state machine of one key. It is not safe for concurrent
// use and never reads a clock: every method takes the time, so that the
// simulation drives it single-threaded and the Governor wraps it with a
// mutex and a queue.
type limiter struct {
	maxInFlight     int
	ceilingInterval time.Duration // spacing the ceiling imposes; 0: none
	epoch           time.Time

	log       grantLog
	inFlight  int
	lastGrant time.Duration // last grant, for the ceiling
	anyGrant  bool
	lastPaced time.Duration // last grant not refused, for the learned pacing
	pacedSeq  uint64
	anyPaced  bool
	// refusedRun counts refusals since the last admitted request. A
	// server that refuses everything admits nothing to measure, so past
	// maxRefusedRun refusals in a row they count in the pacing too:
	// otherwise a fully throttled key would be hammered at full speed.
	refusedRun int

	rateState
	staleBefore uint64 // throttles of grants before this one are stale
	noisy       int    // decreases contradicted since one was confirmed
	// contendedAt is the last sign of someone else spending the quota
	// (anyContended: there was one).
	contendedAt  time.Duration
	anyContended bool
	est          estimate
	events       []rateEvent

	peer peerState
	// granted and refusals count this key's grants and refused answers,
	// for the log.
	granted, refusals int
}

// newLimiter returns a limiter; startRate, if positive, is a tentative
// rate to start at (another key of the account was throttled at it).
func newLimiter(maxInFlight int, maxRate float64, epoch time.Time, startRate float64) *limiter {
	l := &limiter{
		maxInFlight:     maxInFlight,
		ceilingInterval: ceilingInterval(maxRate),
		epoch:           epoch,
		log:             newGrantLog(),
	}
	if startRate > 0 {
		l.rateState = rateState{limited: true, rate: startRate, base: startRate, tentative: true}
	}
	return l
}

// ceilingInterval spaces grants so that no closed one-second window holds
// more than maxRate of them: floor(maxRate) grants spaced
// capWindow/floor(maxRate) apart span more than a second, with guard to
// spare for jitter. Below one request per second: one per
// capWindow/maxRate.
func ceilingInterval(maxRate float64) time.Duration {
	switch {
	case maxRate <= 0 || math.IsNaN(maxRate):
		return 0
	case maxRate < 1:
		return time.Duration(float64(ceilingWindow) / maxRate)
	case maxRate >= float64(ceilingWindow):
		return 1
	}
	return ceilingWindow / time.Duration(int64(maxRate))
}

// adaptiveLimit is the learned limit as a cap on grants not refused in any
// capWindow (0: none) and the pacing interval between them (0: none).
func (l *limiter) adaptiveLimit() (n int, interval time.Duration) {
	if !l.limited {
		return 0, 0
	}
	if l.rate < 1 {
		return 0, time.Duration(float64(capWindow) / l.rate)
	}
	n = int(l.rate)
	return n, capWindow / time.Duration(n)
}

// currentRate is the learned limit in requests per second, 0 for none.
func (l *limiter) currentRate() float64 {
	if !l.limited {
		return 0
	}
	return l.rate
}

// tryGrant lets one request through at now if the in-flight bound, the
// ceiling and the learned limit allow it. Otherwise it returns when to try
// again, or the zero time when only an answer (done) can free a slot.
func (l *limiter) tryGrant(now time.Time) (grant, bool, time.Time) {
	t := now.Sub(l.epoch)
	l.log.expire(t)
	if l.inFlight >= l.inFlightBound() {
		return grant{}, false, time.Time{}
	}
	earliest := t
	if l.ceilingInterval > 0 {
		// The ceiling spaces the grants of every process of the identity:
		// it is a promise about what the service sees from this machine.
		if l.anyGrant {
			earliest = max(earliest, l.lastGrant+l.ceilingInterval)
		}
		if l.peer.anyLast {
			earliest = max(earliest, l.peer.last+l.ceilingInterval)
		}
	}
	probe := l.est.active && l.est.probesLeft > 0 && !l.est.probeOut && t < l.est.deadline
	free := l.est.active && l.est.unconfirmed && t < l.est.deadline
	if free {
		probe = false
	}
	if !probe && !free {
		n, interval := l.adaptiveLimit()
		if interval > 0 {
			// Paced after the last grant of any process: together they
			// send as one client would.
			last, have := l.lastPaced, l.anyPaced
			if at, ok := l.peerLast(); ok && (!have || at > last) {
				last, have = at, true
			}
			if have {
				earliest = max(earliest, last+interval)
			}
		}
		if n > 0 && l.log.live+l.peerLive(t) >= n {
			earliest = max(earliest, l.freeAtCombined(n, t))
		}
	}
	if earliest > t {
		return grant{}, false, l.epoch.Add(earliest)
	}
	seq := l.log.add(t)
	l.inFlight++
	l.granted++
	if l.peer.on {
		l.peer.unsent = append(l.peer.unsent, t)
	}
	l.lastGrant, l.anyGrant = t, true
	l.lastPaced, l.pacedSeq, l.anyPaced = t, seq, true
	if probe {
		l.est.probesLeft--
		l.est.probeOut, l.est.probeSeq = true, seq
	}
	return grant{seq: seq, at: t}, true, time.Time{}
}

// done records the answer to g, received at now.
func (l *limiter) done(g grant, o Outcome, now time.Time) {
	t := now.Sub(l.epoch)
	l.inFlight--
	state := stateAnswered
	switch o {
	case Throttled:
		state = stateRefused
	case Failed:
		// Counted as maybe admitted for the cap, but never as proof that
		// the server admitted it (a cancelled or timed-out request).
		state = stateFailed
	}
	known := l.log.settle(g.seq, state)
	before := l.rateState
	defer l.noteRateChange(before, t)
	switch o {
	case Throttled:
		l.refusals++
		if l.peer.on {
			l.peer.refused = append(l.peer.refused, g.at)
		}
		l.refusedRun++
		if l.anyPaced && g.seq == l.pacedSeq && l.refusedRun <= maxRefusedRun {
			l.rewindPacing()
		}
		l.onThrottle(g, t, known)
	case Success:
		l.refusedRun = 0
		l.onSuccess(g, t)
	case Failed:
		if l.est.probeOut && g.seq == l.est.probeSeq {
			l.est.probeOut = false
		}
	}
}

// rewindPacing makes the last grant not refused the origin of the learned
// pacing again: the server did not count a refused request, so neither
// does the spacing (the ceiling still does).
func (l *limiter) rewindPacing() {
	for seq := l.pacedSeq; seq > 0; {
		seq--
		r := l.log.get(seq)
		if r == nil {
			break
		}
		if r.state != stateRefused {
			l.lastPaced, l.pacedSeq = r.at, seq
			return
		}
	}
	l.anyPaced = false
}

// takeEvents returns and forgets the rate changes since the last call.
func (l *limiter) takeEvents() []rateEvent {
	ev := l.events
	l.events = nil
	return ev
}
