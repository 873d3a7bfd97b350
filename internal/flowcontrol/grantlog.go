package flowcontrol

import "time"

// logSize is how many recent grants a key remembers. It bounds the rates
// the governor can count exactly (about logSize per second, far above what
// any API action admits per account) and costs 16 bytes per grant per key.
const logSize = 2048

type grantState uint8

const (
	statePending  grantState = iota // sent, no answer yet
	stateAnswered                   // any answer but a throttle: the server counted it
	stateRefused                    // throttled: the server did not count it
	stateFailed                     // no usable answer: maybe counted, proves nothing
)

type grantRecord struct {
	at    time.Duration // grant time, from the limiter's epoch
	state grantState
}

// grantLog is a ring of the most recent grants of one key, numbered by a
// sequence number. It keeps a running count of the grants inside the cap
// window that were not refused (the server's view of our recent traffic),
// so that the common path is O(1).
type grantLog struct {
	recs []grantRecord
	next uint64 // sequence number of the next grant
	tail uint64 // oldest grant still inside the cap window
	live int    // grants in [tail, next) not refused
}

func newGrantLog() grantLog {
	return grantLog{recs: make([]grantRecord, logSize)}
}

// get returns the record of grant seq, or nil once the ring has reused
// its slot.
func (l *grantLog) get(seq uint64) *grantRecord {
	if seq >= l.next || l.next-seq > logSize {
		return nil
	}
	return &l.recs[seq%logSize]
}

// add records a grant at time at and returns its sequence number.
func (l *grantLog) add(at time.Duration) uint64 {
	if l.next-l.tail >= logSize {
		// More than logSize grants inside one window: forget the oldest
		// rather than overwrite a record the running count relies on.
		l.drop()
	}
	seq := l.next
	l.recs[seq%logSize] = grantRecord{at: at, state: statePending}
	l.next++
	l.live++
	return seq
}

// expire moves the tail past the grants that left the cap window by now.
func (l *grantLog) expire(now time.Duration) {
	for l.tail < l.next && l.recs[l.tail%logSize].at+capWindow <= now {
		l.drop()
	}
}

func (l *grantLog) drop() {
	if l.recs[l.tail%logSize].state != stateRefused {
		l.live--
	}
	l.tail++
}

// settle records the answer to grant seq. It reports whether the record
// was still known and pending.
func (l *grantLog) settle(seq uint64, state grantState) bool {
	r := l.get(seq)
	if r == nil || r.state != statePending {
		return false
	}
	r.state = state
	if state == stateRefused && seq >= l.tail {
		l.live--
	}
	return true
}
