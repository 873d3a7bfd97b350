package flowcontrol

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"
)

// newOwner names a governor in a Store: the process ID for a human
// reading the file, and randomness so that two governors of one process
// (or a reused PID) never mistake each other's grants for their own.
func newOwner() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return fmt.Sprintf("%d-%s", os.Getpid(), hex.EncodeToString(b))
}

// tryGrant is the limiter's tryGrant, through the Store when the key
// needs it (see limiter.needSync): the check of the combined count and the
// record of the grant happen under the Store's lock, so that no two
// processes take the same place. k.mu is held.
func (k *keyState) tryGrant(now time.Time) (gr grant, ok bool, wakeAt time.Time) {
	if !k.lim.needSync(now.Sub(k.lim.epoch)) {
		return k.lim.tryGrant(now)
	}
	done := false
	k.sync(now, func(sk *SharedKey) {
		gr, ok, wakeAt = k.lim.tryGrant(now)
		if ok {
			k.lim.publish(sk, k.gov.owner)
		}
		done = true
	})
	if !done {
		return k.lim.tryGrant(now)
	}
	return gr, ok, wakeAt
}

// finish is the limiter's done, through the Store for a throttle (whose
// measure needs the other processes' latest grants, and whose decrease
// they need at once) or when the rate changed. k.mu is held.
func (k *keyState) finish(gr grant, o Outcome, now time.Time) {
	l := k.lim
	if !l.peer.on {
		l.done(gr, o, now)
		return
	}
	if o == Throttled {
		done := false
		k.sync(now, func(sk *SharedKey) {
			l.done(gr, o, now)
			l.sync(sk, k.gov.owner, now.Sub(l.epoch)) // publish what it changed
			done = true
		})
		if !done {
			l.done(gr, o, now)
		}
		return
	}
	l.done(gr, o, now)
	if l.peer.rateDirty && l.needSync(now.Sub(l.epoch)) {
		k.sync(now, nil)
	}
}

// sync exchanges the key's state with the Store, then runs then (if not
// nil) under the same lock. A Store that fails leaves the governor alone
// this time; the grants it did not take are published at the next sync.
// k.mu is held.
func (k *keyState) sync(now time.Time, then func(*SharedKey)) {
	g := k.gov
	t := now.Sub(k.lim.epoch)
	err := g.opts.Store.Update(k.name, func(sk *SharedKey) {
		if k.lim.sync(sk, g.owner, t) {
			k.joined = true
		}
		if then != nil {
			then(sk)
		}
	})
	if err != nil {
		// Treated as synced, so that a broken store is not retried at
		// every request; alone, this process still paces itself.
		k.lim.peer.lastSync = t
		k.lim.peer.procs = 1
		k.lim.peer.grants = k.lim.peer.grants[:0]
	}
}

// unlockAndReport releases k.mu, then reports what changed: rate changes,
// and the key's first sync with the Store.
func (k *keyState) unlockAndReport() {
	events := k.lim.takeEvents()
	join := k.joined && !k.reported
	if join {
		k.reported = true
	}
	procs, rate := k.lim.peer.procs, k.lim.currentRate()
	k.mu.Unlock()
	g := k.gov
	for _, e := range events {
		if e.reason == ReasonThrottled || e.reason == ReasonRefined {
			g.noteMeasured(e.to)
		}
	}
	if f := g.opts.OnJoin; join && f != nil {
		f(k.name, procs, rate)
	}
	if f := g.opts.OnRateChange; f != nil {
		for _, e := range events {
			f(k.name, e.from, e.to, e.reason)
		}
	}
}

// noteMeasured records a rate a throttle measured, the start of keys met
// afterwards.
func (g *Governor) noteMeasured(r float64) {
	if r <= 0 {
		return
	}
	g.mu.Lock()
	if g.cautious == 0 || r < g.cautious {
		g.cautious = r
	}
	g.mu.Unlock()
}
