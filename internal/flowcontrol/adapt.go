package flowcontrol

import (
	"math"
	"time"
)

// This file is how a key learns its limit from the answers; doc.go tells
// the story.

// unconfirmedRefusals is how many requests sent after an unconfirmed
// decrease must be refused, none admitted, before it applies: at 30%
// random refusals, three in a row happen 2.7% of the time.
const unconfirmedRefusals = 3

func (l *limiter) onThrottle(g grant, t time.Duration, known bool) {
	if e := &l.est; e.active && e.unconfirmed && g.seq >= l.staleBefore {
		// Sent after the unconfirmed decrease and refused too: once as
		// many as it asks, it is a rate limit after all.
		if e.refusedAfter++; e.refusedAfter >= unconfirmedRefusals {
			e.unconfirmed = false
			l.noisy = 0
		}
		return
	}
	if l.est.probeOut && g.seq == l.est.probeSeq {
		// The second that refused the last decrease's request refused the
		// probe too: a rate limit. Once every probe is refused, throttles
		// are trusted again.
		l.est.probeOut = false
		if l.est.probesLeft == 0 {
			l.noisy = 0
		}
		return
	}
	if g.seq < l.staleBefore {
		// Sent before the last decrease: stale news about a rate no longer
		// in force. It only corrects that decrease's measure.
		if known {
			l.refine(g)
		}
		return
	}
	l.decrease(g, t)
}

// decrease sets the rate to what the server had admitted of ours in the
// second before it refused g.
func (l *limiter) decrease(g grant, t time.Duration) {
	m := l.measure(g)
	if m.contradicted {
		return // a later request was admitted meanwhile: not our rate
	}
	r := float64(m.count)
	if m.count == 0 {
		// Nothing of ours was admitted: the quota went to someone else.
		r = 1
		if l.limited {
			r = l.rate / 2
		}
		r = max(r, minRate)
	}
	// Never below what the server admitted of ours within one second just
	// before (less one for jitter at the window's edges): a refusal at a
	// lower count is not our rate's doing.
	floor := float64(l.demonstrated(t) - 1)
	r = max(r, floor)
	if l.limited && !l.tentative && (r >= l.rate || l.rate >= 1 && math.Floor(r) >= math.Floor(l.rate)) {
		return // not below the cap in force: nothing learned
	}
	before := l.rateState
	if e := &l.est; e.active && t < e.deadline && (e.probesLeft > 0 || e.probeOut || e.unconfirmed) {
		// The last decrease is still being verified: this one builds on
		// it, and an undo must restore what was in force before both.
		// Otherwise a random refusal in the first burst, followed by a
		// second before the probes tell, leaves the key limited at what
		// one burst sent, however fast the server would admit.
		before = e.before
	}
	old := l.currentRate()
	l.rateState = rateState{limited: true, rate: r, base: r, since: t, contended: l.anyContended && t-l.contendedAt < contendedMemory}
	l.staleBefore = l.log.next
	probes := 0
	switch {
	case t >= m.deadline:
		// The second has passed: a probe would be admitted either way.
	case !before.limited:
		// Leaving the unlimited state is the decision that costs most if
		// wrong (a random throttle in the first burst): three probes.
		probes = 3 + l.noisy
	case r < before.base:
		probes = 1 + l.noisy
	}
	l.est = estimate{
		active: true, throttled: g.seq, throttledAt: g.at, reportedAt: t,
		from: m.from, to: l.log.next, count: m.count, floor: floor, rate: r,
		deadline: m.deadline, probesLeft: probes, before: before,
		unconfirmed: probes > 0 && l.noisy > 0,
	}
	l.events = append(l.events, rateEvent{from: old, to: r, reason: ReasonThrottled})
}

type measurement struct {
	count        int           // grants not refused in (g.at-1s, now), g excluded
	from         uint64        // first grant measured
	deadline     time.Duration // when the oldest of those before g leaves the server's second
	contradicted bool          // one sent after g was admitted before then
}

// measure counts the grants the server may have admitted of ours around
// the refusal of g: those of the second before g and those sent since,
// answered or not yet (answers that turn out refused refine it).
func (l *limiter) measure(g grant) measurement {
	m := measurement{from: g.seq, deadline: g.at + serverWindow - guard}
	for seq := g.seq; seq > 0; {
		seq--
		r := l.log.get(seq)
		if r == nil || r.at <= g.at-serverWindow {
			break
		}
		m.from = seq
		if r.state != stateRefused {
			m.count++
			m.deadline = r.at + serverWindow - guard
		}
	}
	// The other processes' grants of that second took their part of it.
	m.count += l.peersIn(g.at-serverWindow, g.at)
	for seq := g.seq + 1; seq < l.log.next; seq++ {
		r := l.log.get(seq)
		if r == nil || r.state == stateRefused {
			continue
		}
		m.count++
		if r.state == stateAnswered && r.at >= g.at+reorderMargin && r.at < m.deadline {
			m.contradicted = true
		}
	}
	return m
}

// demonstrated is the most grants sent within one server second that the
// server answered, over the last demoMemory.
func (l *limiter) demonstrated(now time.Duration) int {
	best, n := 0, 0
	hi := l.log.next // the window is [lo, hi)
	for lo := hi; lo > 0; {
		lo--
		r := l.log.get(lo)
		if r == nil || r.at <= now-demoMemory {
			break
		}
		if r.state == stateAnswered {
			n++
		}
		for ; hi-1 > lo; hi-- {
			h := l.log.get(hi - 1)
			if h.at-r.at < serverWindow {
				break
			}
			if h.state == stateAnswered {
				n--
			}
		}
		best = max(best, n)
	}
	return best
}

// mostlyRefused says whether nearly all of the grants answered since from
// were refused: at least mostlyRefusedShare of them, and enough of them
// for random refusals to make that unlikely (at 30% random refusals, 8 or
// more of 10 happens 0.16% of the time).
func (l *limiter) mostlyRefused(from uint64) bool {
	refused, answered := 0, 0
	for seq := from; seq < l.log.next; seq++ {
		r := l.log.get(seq)
		if r == nil {
			continue
		}
		switch r.state {
		case stateRefused:
			refused++
		case stateAnswered:
			answered++
		}
	}
	total := refused + answered
	return total >= mostlyRefusedMin && float64(refused) >= mostlyRefusedShare*float64(total)
}

const (
	mostlyRefusedShare = 0.8
	mostlyRefusedMin   = 5
)

// refine lowers the last decrease's measure when a request it counted as
// maybe admitted turns out refused.
func (l *limiter) refine(g grant) {
	e := &l.est
	if !e.active || g.seq < e.from || g.seq >= e.to || g.seq == e.throttled {
		return
	}
	e.count--
	if !l.limited || l.rate != e.rate {
		return // the rate moved on since
	}
	if r := max(float64(e.count), e.floor, 1); r < l.rate {
		l.setRate(r, ReasonRefined)
		l.base, e.rate = r, r
	}
}

func (l *limiter) onSuccess(g grant, t time.Duration) {
	e := &l.est
	contradicts := e.active && !e.sticky && g.seq > e.throttled && g.at < e.deadline &&
		(g.at >= e.throttledAt+reorderMargin || g.at >= e.reportedAt)
	if contradicts && l.peer.procs <= 1 && l.mostlyRefused(e.from) {
		// Admitted while the second that refused e.throttled still stood,
		// but nearly all of ours answered since were refused: not noise, but a
		// quota someone else is spending, whose second slides as their
		// requests age out. The decrease stands; probe as a contended key.
		// Not with other runs of this machine on the key: their grants
		// are known and counted, and explain the refusals.
		e.sticky, contradicts = true, false
		l.contended, l.contendedAt, l.anyContended = true, t, true
	}
	if contradicts {
		// Admitted while the second that refused e.throttled still stood
		// (and sent clearly after it, or after its answer): that refusal
		// was not about our rate. Undo the decrease, and distrust the
		// next one a little more.
		e.active, e.probeOut = false, false
		l.noisy = min(l.noisy+1, maxNoisy)
		old := l.currentRate()
		l.rateState = e.before
		l.events = append(l.events, rateEvent{from: old, to: l.currentRate(), reason: ReasonContradicted})
		return
	}
	if e.probeOut && g.seq == e.probeSeq {
		e.probeOut = false
	}
	l.grow(t)
}

// grow probes upward after successes, CUBIC-like: flat at the measured
// base for a while, then faster and faster, but never past twice what is
// actually being sent (an idle key does not grow without evidence).
func (l *limiter) grow(t time.Duration) {
	if !l.limited {
		return
	}
	var target float64
	if l.tentative || l.noisy >= noisyGrowth {
		// Borrowed from another key: slow start, doubling every second.
		// Or refusals here were proved random again and again: the rate
		// in force may be one a chance refusal set (its probes refused by
		// chance too), so it is tried upward as fast, still bounded by
		// twice what is being sent.
		target = l.base * math.Exp2(float64(t-l.since)/float64(serverWindow))
	} else {
		if !l.contended && l.peer.procs <= 1 && l.rate >= math.Floor(l.base)+1 && float64(l.demonstrated(t)) > l.base {
			// The probe's first step was admitted: the share measured at
			// the last throttle is larger now (another client left, or the
			// limit rose). Probe on as a contended key does.
			l.contended, l.contendedAt, l.anyContended = true, t, true
		}
		x := float64(t-l.since) / float64(probePeriod)
		target = l.base + max(1, probeStep*l.base)*x*x*x
		if l.contended {
			target = max(target, l.base+max(1, contendedStep*l.base)*float64(t-l.since)/float64(time.Second))
		}
	}
	target = min(target, max(l.rate, 2*float64(l.log.live+l.peerLive(t))))
	if target <= l.rate {
		return
	}
	if target >= maxLearnedRate {
		old := l.rate
		l.rateState = rateState{}
		l.events = append(l.events, rateEvent{from: old, to: 0, reason: ReasonUnlimited})
		return
	}
	if math.Floor(target) != math.Floor(l.rate) {
		l.setRate(target, ReasonProbing)
		return
	}
	l.rate = target // same cap: not worth an event
}

func (l *limiter) setRate(r float64, reason string) {
	l.events = append(l.events, rateEvent{from: l.rate, to: r, reason: reason})
	l.rate = r
}
