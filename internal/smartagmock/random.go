package smartagmock

import (
	"fmt"
	"math/rand"
	"sync"
)

// lockedRand is the single seeded source for faults, jitter, request ids and
// issued STS credentials, so a run with the same seed repeats (as far as
// concurrent request order allows). math/rand.Rand is not goroutine-safe.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newLockedRand(seed int64) *lockedRand {
	return &lockedRand{r: rand.New(rand.NewSource(seed))} //nolint:gosec // G404: repeatable on purpose; this is a test double
}

// hit draws once and reports whether it falls under p; p <= 0 draws nothing
// so disabled faults do not shift the sequence.
func (l *lockedRand) hit(p float64) bool {
	if p <= 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Float64() < p
}

func (l *lockedRand) int63n(n int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Int63n(n)
}

// requestID is UUID-shaped and upper-case like the real service's.
func (l *lockedRand) requestID() string {
	var b [16]byte
	l.mu.Lock()
	_, _ = l.r.Read(b[:]) // never fails
	l.mu.Unlock()
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// text returns n characters drawn from alphabet.
func (l *lockedRand) text(alphabet string, n int) string {
	out := make([]byte, n)
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range out {
		out[i] = alphabet[l.r.Intn(len(alphabet))]
	}
	return string(out)
}
