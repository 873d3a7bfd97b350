package flowcontrol

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// driver steps one limiter through time by hand.
type driver struct {
	t      *testing.T
	l      *limiter
	now    time.Duration
	events []rateEvent
}

func newDriver(t *testing.T, maxInFlight int, maxRate float64) *driver {
	return &driver{t: t, l: newLimiter(maxInFlight, maxRate, testEpoch, 0)}
}

func (d *driver) set(at time.Duration) { d.now = at }

// grant must succeed now.
func (d *driver) grant() grant {
	d.t.Helper()
	g, ok, wakeAt := d.l.tryGrant(testEpoch.Add(d.now))
	if !ok {
		d.t.Fatalf("at %v: no grant, wait until %v", d.now, wakeAt.Sub(testEpoch))
	}
	return g
}

// refuse must not grant now; it returns when to try again (-1: after an
// answer).
func (d *driver) refuse() time.Duration {
	d.t.Helper()
	g, ok, wakeAt := d.l.tryGrant(testEpoch.Add(d.now))
	if ok {
		d.t.Fatalf("at %v: granted seq %d, want a wait", d.now, g.seq)
	}
	if wakeAt.IsZero() {
		return -1
	}
	return wakeAt.Sub(testEpoch)
}

func (d *driver) answer(g grant, o Outcome) {
	d.l.done(g, o, testEpoch.Add(d.now))
	d.events = append(d.events, d.l.takeEvents()...)
}

func (d *driver) reasons() []string {
	var r []string
	for _, e := range d.events {
		r = append(r, e.reason)
	}
	return r
}

// discover plays the start of a run against a server admitting 5 per
// second: 8 requests at once, 5 admitted, 3 refused.
func discover(t *testing.T) *driver {
	d := newDriver(t, 16, 0)
	var gs []grant
	for range 8 {
		gs = append(gs, d.grant())
	}
	d.set(30 * time.Millisecond)
	for i, g := range gs {
		if i < 5 {
			d.answer(g, Success)
		} else {
			d.answer(g, Throttled)
		}
	}
	return d
}

// confirm refuses the verification probes of the last decrease.
func (d *driver) confirm() {
	d.t.Helper()
	for d.l.est.probesLeft > 0 {
		p := d.grant()
		d.answer(p, Throttled)
	}
}

func TestNoThrottleNoLimit(t *testing.T) {
	d := newDriver(t, 1000, 0)
	var gs []grant
	for range 500 { // all at the same instant: nothing paces them
		gs = append(gs, d.grant())
	}
	d.set(time.Millisecond)
	for _, g := range gs {
		d.answer(g, Success)
	}
	if r := d.l.currentRate(); r != 0 || len(d.events) != 0 {
		t.Errorf("rate %v, events %v; want no limit and no events", r, d.reasons())
	}
}

func TestThrottleSetsRateToWhatWasAdmitted(t *testing.T) {
	d := discover(t)
	if got := d.l.currentRate(); got != 5 {
		t.Errorf("rate %v, want 5 (admitted in the second before the refusal)", got)
	}
	// The first refusal measured 5 admitted + 2 unanswered; the 2 stale
	// refusals only refined that measure, they did not decrease again.
	want := []string{ReasonThrottled, ReasonRefined, ReasonRefined}
	if !slices.Equal(d.reasons(), want) {
		t.Errorf("events %v, want %v", d.reasons(), want)
	}
	if d.events[0].from != 0 || d.events[0].to != 7 {
		t.Errorf("first event %+v, want 0 -> 7", d.events[0])
	}
}

func TestStaleThrottlesDoNotCascade(t *testing.T) {
	// 20 requests at once against a server admitting 5: 15 refusals
	// arrive, all sent before the decrease. One decrease, to 5.
	d := newDriver(t, 32, 0)
	var gs []grant
	for range 20 {
		gs = append(gs, d.grant())
	}
	d.set(30 * time.Millisecond)
	for i := len(gs) - 1; i >= 0; i-- { // refusals first, the worst order
		if i >= 5 {
			d.answer(gs[i], Throttled)
		}
	}
	for _, g := range gs[:5] {
		d.answer(g, Success)
	}
	if got := d.l.currentRate(); got != 5 {
		t.Errorf("rate %v, want 5", got)
	}
	throttled := 0
	for _, e := range d.events {
		if e.reason == ReasonThrottled {
			throttled++
		}
		if e.to < 5 {
			t.Errorf("event %+v went below the admitted 5", e)
		}
	}
	if throttled != 1 {
		t.Errorf("%d decreases, want 1: %v", throttled, d.reasons())
	}
}

func TestDecreaseVerifiedThenCapHolds(t *testing.T) {
	d := discover(t)
	// Leaving the unlimited state is verified by three probes past the
	// cap, one at a time.
	d.set(31 * time.Millisecond)
	p1 := d.grant()
	if w := d.refuse(); w != capWindow {
		t.Fatalf("while the probe is out: wait until %v, want the cap (%v)", w, capWindow)
	}
	d.set(61 * time.Millisecond)
	d.answer(p1, Throttled)
	p2 := d.grant()
	d.set(91 * time.Millisecond)
	d.answer(p2, Throttled)
	p3 := d.grant()
	d.set(121 * time.Millisecond)
	d.answer(p3, Throttled)
	if got := d.l.currentRate(); got != 5 {
		t.Fatalf("rate %v after refused probes, want 5", got)
	}
	// Now the cap: 5 admitted at t=0 fill the window until 0 + capWindow.
	if w := d.refuse(); w != capWindow {
		t.Errorf("wait until %v, want %v", w, capWindow)
	}
	d.set(capWindow)
	d.grant()
	// Then paced: capWindow/5 apart.
	if w := d.refuse(); w != capWindow+capWindow/5 {
		t.Errorf("next at %v, want %v", w, capWindow+capWindow/5)
	}
}

func TestAdmittedProbeUndoesDecrease(t *testing.T) {
	d := discover(t)
	d.set(31 * time.Millisecond)
	p := d.grant()
	d.set(61 * time.Millisecond)
	d.answer(p, Success) // the second was not full: not a rate limit
	if got := d.l.currentRate(); got != 0 {
		t.Errorf("rate %v, want no limit again", got)
	}
	if r := d.reasons(); r[len(r)-1] != ReasonContradicted {
		t.Errorf("events %v, want the last to be %q", r, ReasonContradicted)
	}
	// Contradictions raise the proof asked of the next decrease.
	if d.l.noisy != 1 {
		t.Errorf("noisy %d, want 1", d.l.noisy)
	}
}

func TestLaterAdmissionContradictsThrottle(t *testing.T) {
	d := newDriver(t, 16, 0)
	a := d.grant()
	d.set(25 * time.Millisecond)
	b := d.grant() // sent well after a, inside the same second
	d.set(55 * time.Millisecond)
	d.answer(b, Success)
	d.set(60 * time.Millisecond)
	d.answer(a, Throttled) // a random or someone else's refusal
	if got := d.l.currentRate(); got != 0 || len(d.events) != 0 {
		t.Errorf("rate %v, events %v; want no decrease", got, d.reasons())
	}
}

func TestFailedRequestDoesNotContradictThrottle(t *testing.T) {
	// b had no usable answer (timed out, cancelled): it proves nothing of
	// what the server admitted, so a's refusal still decreases the rate.
	d := newDriver(t, 16, 0)
	a := d.grant()
	d.set(25 * time.Millisecond)
	b := d.grant()
	d.set(55 * time.Millisecond)
	d.answer(b, Failed)
	d.set(60 * time.Millisecond)
	d.answer(a, Throttled)
	if got := d.l.currentRate(); got == 0 || len(d.events) == 0 {
		t.Errorf("rate %v, events %v; want a decrease", got, d.reasons())
	}
}

func TestReorderedBurstStillDecreases(t *testing.T) {
	// Sent within reorderMargin of each other, a and b may reach the
	// server in either order: b admitted after a refused proves nothing.
	d := newDriver(t, 16, 0)
	a := d.grant()
	d.set(reorderMargin / 2)
	b := d.grant()
	d.set(40 * time.Millisecond)
	d.answer(b, Success)
	d.answer(a, Throttled)
	if got := d.l.currentRate(); got != 1 {
		t.Errorf("rate %v, want 1", got)
	}
}

func TestProbingUpward(t *testing.T) {
	d := discover(t)
	d.confirm()
	since := d.l.since
	// A steady flow at the learned rate, each answered 30 ms later.
	var crossed time.Duration
	prev := d.l.rate
	for d.now < since+15*time.Second {
		g, ok, wakeAt := d.l.tryGrant(testEpoch.Add(d.now))
		if !ok {
			d.set(wakeAt.Sub(testEpoch))
			continue
		}
		d.set(d.now + 30*time.Millisecond)
		d.answer(g, Success)
		if d.l.rate < prev {
			t.Fatalf("at %v rate fell from %v to %v without a throttle", d.now, prev, d.l.rate)
		}
		prev = d.l.rate
		if crossed == 0 && d.l.rate >= 6 {
			crossed = d.now - since
		}
	}
	// base + max(1, 0.1·base)·(t/probePeriod)³ reaches base+1 at probePeriod.
	if crossed < probePeriod-time.Second || crossed > probePeriod+time.Second {
		t.Errorf("reached 6/s after %v, want about %v", crossed, probePeriod)
	}
	if d.l.rate < 7 {
		t.Errorf("rate %v after 15 s, want the cubic to accelerate past 7", d.l.rate)
	}
}

func TestIdleKeyDoesNotGrow(t *testing.T) {
	d := discover(t)
	d.confirm()
	d.set(time.Minute)
	g := d.grant()
	d.answer(g, Success)
	if got := d.l.currentRate(); got != 5 {
		t.Errorf("rate %v after a minute idle, want 5: growth needs traffic", got)
	}
}

func TestThrottleBelowDemonstratedRateIsDamped(t *testing.T) {
	// 10 admitted within a second, then a refusal when only 3 of ours
	// are in the second before it: not our rate's doing (a random
	// refusal, or someone else's burst). The rate falls by one at most.
	d := newDriver(t, 16, 0)
	for i := range 10 {
		d.set(time.Duration(i) * 50 * time.Millisecond)
		g := d.grant()
		d.answer(g, Success)
	}
	for i := range 3 {
		d.set(1500*time.Millisecond + time.Duration(i)*100*time.Millisecond)
		g := d.grant()
		d.answer(g, Success)
	}
	d.set(1800 * time.Millisecond)
	g := d.grant()
	d.set(1830 * time.Millisecond)
	d.answer(g, Throttled)
	if got := d.l.currentRate(); got != 9 {
		t.Errorf("rate %v, want 9 (10 demonstrated, less one)", got)
	}
}

func TestInFlightBound(t *testing.T) {
	d := newDriver(t, 3, 0)
	gs := []grant{d.grant(), d.grant(), d.grant()}
	if w := d.refuse(); w != -1 {
		t.Fatalf("wait %v, want to wait for an answer", w)
	}
	d.answer(gs[1], Failed)
	d.grant()
}

func TestCeilingInterval(t *testing.T) {
	for _, tc := range []struct {
		rate float64
		want time.Duration
	}{
		{0, 0},
		{-1, 0},
		{math.NaN(), 0},
		{0.5, 2 * ceilingWindow},
		{1, ceilingWindow},
		{5, ceilingWindow / 5},
		{5.9, ceilingWindow / 5}, // no more than 5 in any second
		{1e12, 1},
	} {
		if got := ceilingInterval(tc.rate); got != tc.want {
			t.Errorf("ceilingInterval(%v) = %v, want %v", tc.rate, got, tc.want)
		}
	}
}

// maxInAnySecond is the most times within any closed one-second window
// [t, t+1s] (closed: the strictest reading of "per rolling second").
func maxInAnySecond(times []time.Duration) int {
	best := 0
	for i := range times {
		j := i
		for j < len(times) && times[j] <= times[i]+time.Second {
			j++
		}
		best = max(best, j-i)
	}
	return best
}

// runCeiling sends as fast as a limiter with the ceiling lets it for 30
// simulated seconds, answering each request after a random latency with
// one of outcomes, and returns the send times.
func runCeiling(t *testing.T, ceiling float64, outcomes []Outcome) []time.Duration {
	rng := rand.New(rand.NewPCG(uint64(ceiling*10), 2))
	d := newDriver(t, 8, ceiling)
	type pending struct {
		g  grant
		at time.Duration
	}
	var out []pending
	var sent []time.Duration
	for d.now < 30*time.Second {
		g, ok, wakeAt := d.l.tryGrant(testEpoch.Add(d.now))
		if ok {
			sent = append(sent, d.now)
			out = append(out, pending{g, d.now + time.Duration(rng.Int64N(int64(100*time.Millisecond)))})
			continue
		}
		next := time.Duration(math.MaxInt64)
		if !wakeAt.IsZero() {
			next = wakeAt.Sub(testEpoch)
		}
		slices.SortFunc(out, func(a, b pending) int { return int(a.at - b.at) })
		if len(out) > 0 && out[0].at <= next {
			d.set(max(d.now, out[0].at))
			d.answer(out[0].g, outcomes[rng.IntN(len(outcomes))])
			out = out[1:]
			continue
		}
		d.set(next)
	}
	return sent
}

func TestCeilingNeverExceeded(t *testing.T) {
	// Random latencies and outcomes (refusals, probes, rewound pacing,
	// contradicted decreases): whatever the learning does, the ceiling
	// holds in every rolling second.
	for _, ceiling := range []float64{0.5, 1, 2.5, 5, 7, 20, 100} {
		sent := runCeiling(t, ceiling, []Outcome{Success, Success, Throttled, Failed})
		limit := max(1, int(ceiling))
		if got := maxInAnySecond(sent); got > limit {
			t.Errorf("ceiling %v: %d requests in one second", ceiling, got)
		}
		if ceiling < 1 {
			for i := 1; i < len(sent); i++ {
				if gap := sent[i] - sent[i-1]; gap < time.Duration(float64(time.Second)/ceiling) {
					t.Errorf("ceiling %v: requests %v apart", ceiling, gap)
				}
			}
		}
	}
}

func TestCeilingIsReached(t *testing.T) {
	// Without throttles the ceiling is a bound, not a brake: floor(rate)
	// per ceilingWindow.
	for _, ceiling := range []float64{1, 5, 20, 100} {
		sent := runCeiling(t, ceiling, []Outcome{Success})
		want := int(30 * time.Second / ceilingWindow * time.Duration(ceiling))
		if len(sent) < want {
			t.Errorf("ceiling %v: %d requests in 30 s, want %d", ceiling, len(sent), want)
		}
	}
}

func TestProbingPastAnyLimitUnlimitsTheKey(t *testing.T) {
	d := discover(t)
	d.confirm()
	// Demand without bound, every request admitted: the cubic passes
	// maxLearnedRate (5 + (t/10 s)³ ≥ 1024 after about 101 s).
	for d.now < 2*time.Minute && d.l.limited {
		g, ok, wakeAt := d.l.tryGrant(testEpoch.Add(d.now))
		if !ok {
			if wakeAt.IsZero() {
				t.Fatal("in-flight bound reached with every answer immediate")
			}
			d.set(wakeAt.Sub(testEpoch))
			continue
		}
		d.answer(g, Success)
	}
	if d.l.limited {
		t.Fatalf("still limited at %v after %v", d.l.rate, d.now)
	}
	if last := d.events[len(d.events)-1]; last.reason != ReasonUnlimited || last.to != 0 {
		t.Errorf("last event %+v, want %q to 0", last, ReasonUnlimited)
	}
	if d.now < 100*time.Second {
		t.Errorf("unlimited after %v, want the cubic's 101 s", d.now)
	}
}
