package flowcontrol

import (
	"math"
	"slices"
	"sort"
	"time"
)

// This file is how a limiter shares one quota with the limiters of other
// processes through a Store; doc.go tells the story.

const (
	// peerMemory is how long other processes' grants and presence count:
	// beyond the cap window and the demonstrated floor's memory.
	peerMemory = 2 * time.Second
	// lazySync: an unlimited key with no other process in sight syncs at
	// most this often, so that a run alone pays almost nothing for sharing;
	// its grants meanwhile are published at the next sync.
	lazySync = 50 * time.Millisecond
	// freshShared: a shared rate changed less than this long ago is being
	// worked by a live process, so its probe origin is taken as it is; an
	// older one (the last run's) starts a probe of its own.
	freshShared = peerMemory
)

// ReasonShared: the rate was learned by another process sharing the quota
// (or by the last run, from the state it left).
const ReasonShared = "learned by another run"

// peerState is what a limiter knows of the other processes of its key.
type peerState struct {
	on       bool // a Store is in use
	synced   bool // at least one sync succeeded
	lastSync time.Duration
	grants   []time.Duration // the others' grants not refused, oldest first
	last     time.Duration   // the others' latest grant, refused or not, for the ceiling
	anyLast  bool
	procs    int             // processes using the key, this one included
	unsent   []time.Duration // our grants not yet published
	refused  []time.Duration // our grants refused, not yet published
	// rateDirty: our rate state changed since the last sync, at rateAt
	// (wall time; also the time of the last rate adopted).
	rateDirty bool
	rateAt    time.Time
}

// needSync says whether tryGrant or done at t should go through the Store:
// always while a limit or a ceiling applies or other processes are about
// (the combined count must be exact), otherwise only every lazySync or
// with news.
func (l *limiter) needSync(t time.Duration) bool {
	p := &l.peer
	return p.on && (!p.synced || l.limited || l.ceilingInterval > 0 || p.procs > 1 || p.rateDirty || len(p.refused) > 0 || t-p.lastSync >= lazySync)
}

// sync publishes what this limiter did since the last sync, takes in what
// the other processes did, and adopts a rate learned elsewhere if it is
// newer than ours. It returns whether this was the key's first sync.
func (l *limiter) sync(sk *SharedKey, owner string, t time.Duration) bool {
	p := &l.peer
	now := l.epoch.Add(t)
	l.publish(sk, owner)
	for _, at := range p.refused {
		ns := l.epoch.Add(at).UnixNano()
		for i := range sk.Grants {
			if g := &sk.Grants[i]; g.Owner == owner && g.At.UnixNano() == ns {
				g.Refused = true
				break
			}
		}
	}
	p.refused = p.refused[:0]
	cut := now.Add(-peerMemory)
	sk.Grants = slices.DeleteFunc(sk.Grants, func(g SharedGrant) bool { return g.At.Before(cut) })
	if sk.Seen == nil {
		sk.Seen = map[string]time.Time{}
	}
	sk.Seen[owner] = now
	for o, at := range sk.Seen {
		if at.Before(cut) {
			delete(sk.Seen, o)
		}
	}
	first := !p.synced
	l.mergeRate(sk, t, first)

	p.grants, p.anyLast = p.grants[:0], false
	for _, g := range sk.Grants {
		if g.Owner == owner {
			continue
		}
		at := g.At.Sub(l.epoch)
		if !p.anyLast || at > p.last {
			p.last, p.anyLast = at, true
		}
		if !g.Refused {
			p.grants = append(p.grants, at)
		}
	}
	slices.Sort(p.grants)
	p.procs = max(len(sk.Seen), 1)
	p.synced, p.lastSync = true, t
	return first
}

// publish appends our unpublished grants to the shared record.
func (l *limiter) publish(sk *SharedKey, owner string) {
	for _, at := range l.peer.unsent {
		sk.Grants = append(sk.Grants, SharedGrant{Owner: owner, At: l.epoch.Add(at)})
	}
	l.peer.unsent = l.peer.unsent[:0]
}

// mergeRate is last-learned-wins: whichever process changed the key's rate
// last did so on the freshest evidence, from the same server.
func (l *limiter) mergeRate(sk *SharedKey, t time.Duration, first bool) {
	p := &l.peer
	shared := sk.Rate
	if p.rateDirty && !shared.At.After(p.rateAt) {
		p.rateDirty = false
		sk.Rate = SharedRate{Limited: l.limited, Rate: l.rate, Base: l.base, Tentative: l.tentative, At: p.rateAt, Since: l.epoch.Add(l.since)}
		return
	}
	p.rateDirty = false
	if !shared.At.IsZero() && shared.At.After(p.rateAt) {
		l.adopt(shared, t)
		return
	}
	if first && !l.limited && shared.At.IsZero() && sk.OtherRate > 0 {
		// Another action of the account was throttled: start this one
		// cautiously at that rate, doubling every second until a throttle
		// says where this action's own limit is.
		l.rateState = rateState{limited: true, rate: sk.OtherRate, base: sk.OtherRate, since: t, tentative: true}
		l.events = append(l.events, rateEvent{from: 0, to: sk.OtherRate, reason: ReasonCautious})
	}
}

// adopt takes a rate another process learned.
func (l *limiter) adopt(s SharedRate, t time.Duration) {
	p := &l.peer
	p.rateAt = s.At
	old := l.currentRate()
	if !s.Limited || s.Rate <= 0 || math.IsNaN(s.Rate) {
		l.rateState = rateState{}
	} else {
		since := t
		if now := l.epoch.Add(t); now.Sub(s.At) < freshShared && !s.Since.IsZero() && !s.Since.After(now) {
			since = s.Since.Sub(l.epoch)
		}
		l.rateState = rateState{limited: true, rate: s.Rate, base: max(s.Base, minRate), since: since, tentative: s.Tentative}
		l.staleBefore = l.log.next // throttles of what we sent before are old news
	}
	if to := l.currentRate(); math.Floor(to) != math.Floor(old) || (to == 0) != (old == 0) {
		l.events = append(l.events, rateEvent{from: old, to: to, reason: ReasonShared})
	}
}

// noteRateChange marks our rate state for publishing when an answer
// changed it.
func (l *limiter) noteRateChange(before rateState, t time.Duration) {
	if l.peer.on && l.rateState != before {
		l.peer.rateDirty, l.peer.rateAt = true, l.epoch.Add(t)
	}
}

// peerLive is how many of the others' grants are inside the cap window
// at t.
func (l *limiter) peerLive(t time.Duration) int {
	g := l.peer.grants
	i := sort.Search(len(g), func(i int) bool { return g[i]+capWindow > t })
	return len(g) - i
}

// peerLast is the others' latest grant, if any.
func (l *limiter) peerLast() (time.Duration, bool) {
	if len(l.peer.grants) == 0 {
		return 0, false
	}
	return l.peer.grants[len(l.peer.grants)-1], true
}

// peersIn counts the others' grants in (from, to].
func (l *limiter) peersIn(from, to time.Duration) int {
	n := 0
	for _, at := range l.peer.grants {
		if at > from && at <= to {
			n++
		}
	}
	return n
}

// freeAtCombined is freeAt over our grants and the others' together: when
// the combined count inside the cap window, now at least n, drops below n.
func (l *limiter) freeAtCombined(n int, t time.Duration) time.Duration {
	peers := l.peer.grants[len(l.peer.grants)-l.peerLive(t):]
	excess := l.log.live + len(peers) - n + 1
	seq, i := l.log.tail, 0
	for excess > 0 {
		var at time.Duration
		ownOK := false
		for ; seq < l.log.next; seq++ {
			if r := &l.log.recs[seq%logSize]; r.state != stateRefused {
				at, ownOK = r.at, true
				break
			}
		}
		switch {
		case ownOK && (i >= len(peers) || at <= peers[i]):
			seq++
		case i < len(peers):
			at = peers[i]
			i++
		default:
			return t // nothing left: cannot happen while the count is at least n
		}
		if excess--; excess == 0 {
			return at + capWindow
		}
	}
	return t
}

// inFlightBound is this process's share of MaxInFlight: the processes of a
// key split it, so that together they keep as many requests in flight as
// one client would.
func (l *limiter) inFlightBound() int {
	if l.peer.procs <= 1 {
		return l.maxInFlight
	}
	return max(1, (l.maxInFlight+l.peer.procs-1)/l.peer.procs)
}
