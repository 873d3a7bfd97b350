package flowstate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

// The test binary re-executes itself as the other processes: helperEnv
// names the role, the rest of the environment its arguments.
const helperEnv = "FLOWSTATE_TEST_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "hold-lock":
		holdLock()
	case "reads":
		os.Exit(helperReads())
	}
	os.Exit(2)
}

// holdLock takes the store's lock, says so, and never lets go.
func holdLock() {
	s := Open(os.Getenv("FLOWSTATE_DIR"), "identity")
	if err := s.prepare(); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	l := flock.New(s.lockPath)
	if err := l.Lock(); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	time.Sleep(time.Hour)
}

// helperReads sends FLOWSTATE_READS requests through a governor sharing
// FLOWSTATE_DIR to the server at FLOWSTATE_URL, 10 at a time.
func helperReads() int {
	n, _ := strconv.Atoi(os.Getenv("FLOWSTATE_READS"))
	url := os.Getenv("FLOWSTATE_URL")
	g := flowcontrol.New(flowcontrol.Options{Store: Open(os.Getenv("FLOWSTATE_DIR"), "identity")})
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	var wg sync.WaitGroup
	var failed error
	var mu sync.Mutex
	for range 10 {
		wg.Go(func() {
			for range jobs {
				for {
					tk, err := g.Acquire(testContext(), testKey)
					if err != nil {
						mu.Lock()
						failed = err
						mu.Unlock()
						return
					}
					resp, err := http.Get(url) //nolint:gosec,noctx // the test's own server
					if err != nil {
						tk.Done(flowcontrol.Failed)
						mu.Lock()
						failed = err
						mu.Unlock()
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						tk.Done(flowcontrol.Success)
						break
					}
					tk.Done(flowcontrol.Throttled)
				}
			}
		})
	}
	wg.Wait()
	if failed != nil {
		fmt.Println("error:", failed)
		return 1
	}
	fmt.Println("done")
	return 0
}

// A process killed (SIGKILL) while it holds the lock blocks nobody: the
// operating system releases an advisory lock with its holder.
func TestKilledLockHolderBlocksNobody(t *testing.T) {
	dir := t.TempDir()
	holder := startHelper(t, "hold-lock", "FLOWSTATE_DIR="+dir)
	waitFor(t, holder, "locked")

	s := Open(dir, "identity")
	// While it lives the lock is busy: the update gives up, it does not hang.
	if err := s.Update(testKey, func(*flowcontrol.SharedKey) {}); !errors.Is(err, flowcontrol.ErrStoreUnavailable) {
		t.Fatalf("Update while another process holds the lock: %v", err)
	}
	if n := s.TakeNotices(); len(n) != 1 || !strings.Contains(n[0].Message, "held the shared flow-control state's lock") {
		t.Errorf("notices: %+v", n)
	}
	if err := holder.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = holder.cmd.Wait()
	learn(t, s, testKey, 20) // fails the test if the lock is still held
}

// Separate processes (this test binary, re-executed) against one quota
// served over HTTP: together they stay within it and learn it once.
func TestProcessesShareOneQuota(t *testing.T) {
	dir := t.TempDir()
	srv := &windowServer{q: 20}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		ok := srv.admit(time.Now())
		time.Sleep(30 * time.Millisecond)
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	defer ts.Close()
	const procs, reads = 3, 40
	var helpers []*helper
	for range procs {
		helpers = append(helpers, startHelper(t, "reads", "FLOWSTATE_DIR="+dir, "FLOWSTATE_URL="+ts.URL, fmt.Sprintf("FLOWSTATE_READS=%d", reads)))
	}
	for _, h := range helpers {
		waitFor(t, h, "done")
		if err := h.cmd.Wait(); err != nil {
			t.Errorf("helper: %v", err)
		}
	}
	if got := len(srv.admitted); got != procs*reads {
		t.Fatalf("%d admitted, want %d", got, procs*reads)
	}
	if srv.maxInWindow() > srv.q {
		t.Fatalf("the server admitted %d in one second with a limit of %d", srv.maxInWindow(), srv.q)
	}
	// Alone, each process would pay a round of refusals when it meets the
	// limit; together about one.
	if srv.refused > 2*flowcontrol.DefaultMaxInFlight {
		t.Errorf("%d refused for %d admitted", srv.refused, len(srv.admitted))
	}
	st := readState(t, Open(dir, "identity"))
	if k := st.Keys[testKey]; k == nil || k.Rate == nil || !k.Rate.Limited {
		t.Errorf("no learned rate on file: %+v", k)
	}
}

type helper struct {
	cmd   *exec.Cmd
	lines *bufio.Scanner
}

func startHelper(t *testing.T, role string, env ...string) *helper {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$") //nolint:gosec // this test binary
	cmd.Env = append(append(os.Environ(), helperEnv+"="+role), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return &helper{cmd: cmd, lines: bufio.NewScanner(out)}
}

func waitFor(t *testing.T, h *helper, want string) {
	t.Helper()
	for h.lines.Scan() {
		if line := h.lines.Text(); line == want {
			return
		} else if strings.HasPrefix(line, "error:") {
			t.Fatal(line)
		}
	}
	t.Fatalf("helper ended before saying %q", want)
}
