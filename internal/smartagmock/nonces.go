package smartagmock

import (
	"sync"
	"time"
)

// nonceWindow is how far a Timestamp may be from the clock; a nonce must be
// remembered as long as a replay of its request could still pass that check.
const nonceWindow = 15 * time.Minute

// maxNonces bounds memory under a flood; past it the oldest nonces are
// forgotten early (replay detection then weakens, the mock keeps serving).
const maxNonces = 200000

// nonceStore remembers SignatureNonce values for the timestamp window.
// Entries are kept in arrival order so pruning is a walk from the front.
type nonceStore struct {
	mu    sync.Mutex
	seen  map[string]time.Time // nonce -> forget after
	order []nonceEntry
}

type nonceEntry struct {
	nonce  string
	forget time.Time
}

func newNonceStore() *nonceStore {
	return &nonceStore{seen: map[string]time.Time{}}
}

// use records the nonce and reports false if it was already seen (and not
// yet forgotten). ts is the request's Timestamp: a replay stays acceptable to
// the clock check until ts+window, so the nonce is kept at least that long.
func (s *nonceStore) use(nonce string, ts, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	if forget, ok := s.seen[nonce]; ok && now.Before(forget) {
		return false
	}
	forget := now
	if ts.After(forget) {
		forget = ts
	}
	forget = forget.Add(nonceWindow)
	s.seen[nonce] = forget
	s.order = append(s.order, nonceEntry{nonce: nonce, forget: forget})
	return true
}

// pruneLocked drops expired entries from the front and enforces maxNonces.
// Entries behind a longer-lived head wait for it, at most one window more.
func (s *nonceStore) pruneLocked(now time.Time) {
	drop := 0
	for drop < len(s.order) && (len(s.order)-drop > maxNonces || !now.Before(s.order[drop].forget)) {
		e := s.order[drop]
		if f, ok := s.seen[e.nonce]; ok && f.Equal(e.forget) {
			delete(s.seen, e.nonce)
		}
		drop++
	}
	if drop == 0 {
		return
	}
	// Copy down once the dead prefix is large, so the slice does not grow forever.
	s.order = s.order[drop:]
	if cap(s.order) > 2*len(s.order)+1024 {
		s.order = append([]nonceEntry(nil), s.order...)
	}
}

func (s *nonceStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}
