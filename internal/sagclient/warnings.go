package sagclient

import (
	"fmt"
	"sync"
)

// maxWarnings bounds the warnings one read reports: a broken answer must
// not turn into millions of diagnostics.
const maxWarnings = 20

// warnings collects the first maxWarnings messages and counts the rest.
type warnings struct {
	mu      sync.Mutex
	msgs    []string
	dropped int
}

func newWarnings() *warnings { return &warnings{} }

func (w *warnings) add(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.msgs) >= maxWarnings {
		w.dropped++
		return
	}
	w.msgs = append(w.msgs, fmt.Sprintf(format, args...))
}

// list is the collected messages, with "and N more" when some were dropped.
func (w *warnings) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dropped == 0 {
		return w.msgs
	}
	return append(w.msgs, fmt.Sprintf("… and %d more values like these", w.dropped))
}
