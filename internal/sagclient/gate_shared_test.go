package sagclient

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// capturingLogger keeps every line, with Info, so that INFO lines are
// told apart.
type capturingLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *capturingLogger) add(level, msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, level+" "+msg)
}

func (l *capturingLogger) Debug(_ context.Context, msg string, _ map[string]any) { l.add("DEBUG", msg) }
func (l *capturingLogger) Info(_ context.Context, msg string, _ map[string]any)  { l.add("INFO", msg) }
func (l *capturingLogger) Warn(_ context.Context, msg string, _ map[string]any)  { l.add("WARN", msg) }

func (l *capturingLogger) count(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.HasPrefix(line, prefix) {
			n++
		}
	}
	return n
}

// A client with a flow-state directory joins it (one INFO line per action)
// and writes one private file there; without one nothing is written.
func TestGate_sharedStateJoinsAndLogs(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	dir := filepath.Join(t.TempDir(), "flow")
	logger := &capturingLogger{}
	c := newTestClient(t, f.endpoint(t), func(cfg *Config) { cfg.FlowStateDir, cfg.Logger = dir, logger })
	for range 3 {
		if _, err := describe(t, c); err != nil {
			t.Fatal(err)
		}
	}
	if n := logger.count("INFO Flow control joined the state shared with other runs"); n != 1 {
		t.Errorf("%d join lines, want 1: %v", n, logger.lines)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("state files %v", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), testKeyID) || strings.Contains(string(b), testSecret) {
		t.Errorf("the state file names the credentials: %s", b)
	}
}

// A directory that cannot be used costs one warning, never a read.
func TestGate_unusableDirectoryWarnsOnce(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	logger := &capturingLogger{}
	c := newTestClient(t, f.endpoint(t), func(cfg *Config) { cfg.FlowStateDir, cfg.Logger = filepath.Join(file, "flow"), logger })
	for range 3 {
		if _, err := describe(t, c); err != nil {
			t.Fatalf("a read failed for the shared state: %v", err)
		}
	}
	if n := logger.count("WARN Flow control is not shared with other runs"); n != 1 {
		t.Errorf("%d warnings, want 1: %v", n, logger.lines)
	}
}
