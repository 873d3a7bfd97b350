package bench

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// listenLine is the mock's first stdout line.
var listenLine = regexp.MustCompile(`^smartag-mock listening on (http://127\.0\.0\.1:[0-9]+)\s*$`)

// ParseListenLine returns the endpoint URL of the mock's first stdout line.
func ParseListenLine(line string) (string, error) {
	m := listenLine.FindStringSubmatch(line)
	if m == nil {
		return "", fmt.Errorf("unexpected first line from the mock: %q", line)
	}
	return m[1], nil
}

// MockOptions are the command-line options of one mock process.
type MockOptions struct {
	Fixture      string
	Log          string
	Latency      time.Duration
	ThrottleRate float64
	Seed         int64
	// RateLimit is the mock's flow control (--rate-limit): at most that
	// many requests per action in any rolling second; 0 is none.
	RateLimit int
	// GenerateUsers adds the generated instance (--generate-users) with
	// every OnlineEvery-th account online (--online-every); 0 adds none.
	GenerateUsers, OnlineEvery int
	// EmptyEntries answers every DescribeUserOnlineClients with that many
	// entries "{}" (--empty-entries); 0 is none.
	EmptyEntries int
}

// Args is the mock's command line.
func (o MockOptions) Args() []string {
	args := []string{"--listen", "127.0.0.1:0", "--data", o.Fixture, "--log", o.Log, "--seed", fmt.Sprint(o.Seed)}
	if o.Latency > 0 {
		args = append(args, "--latency", o.Latency.String())
	}
	if o.ThrottleRate > 0 {
		args = append(args, "--throttle-rate", fmt.Sprint(o.ThrottleRate))
	}
	if o.RateLimit > 0 {
		args = append(args, "--rate-limit", fmt.Sprint(o.RateLimit))
	}
	if o.GenerateUsers > 0 {
		args = append(args, "--generate-users", fmt.Sprint(o.GenerateUsers), "--online-every", fmt.Sprint(o.OnlineEvery))
	}
	if o.EmptyEntries > 0 {
		args = append(args, "--empty-entries", fmt.Sprint(o.EmptyEntries))
	}
	return args
}

// Mock is a running smartag-mock command.
type Mock struct {
	// Endpoint is http://127.0.0.1:PORT.
	Endpoint string
	cmd      *exec.Cmd
	stderr   *capped
	exited   chan struct{}
	waitErr  error
	stopOnce sync.Once
}

// mockStartTimeout bounds the wait for the first line.
const mockStartTimeout = 30 * time.Second

// StartMock runs the mock binary and waits for its first line.
func StartMock(ctx context.Context, bin string, opts MockOptions) (*Mock, error) {
	cmd := exec.Command(bin, opts.Args()...) //nolint:gosec // G204: the binary the caller (scripts/bench.sh) built
	// Its own process group: a Ctrl-C reaches the harness only, which stops
	// the mock once the plan in flight has ended.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	m := &Mock{cmd: cmd, stderr: &capped{max: 8 << 10}, exited: make(chan struct{})}
	cmd.Stderr = m.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the mock: %w", err)
	}

	first := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		first <- line
		_, _ = io.Copy(io.Discard, r) // keep draining: never block the mock on a full pipe
	}()
	go func() {
		m.waitErr = cmd.Wait()
		close(m.exited)
	}()

	timer := time.NewTimer(mockStartTimeout)
	defer timer.Stop()
	select {
	case line := <-first:
		if m.Endpoint, err = ParseListenLine(strings.TrimRight(line, "\n")); err != nil {
			_ = m.Stop()
			return nil, fmt.Errorf("%w; mock stderr: %s", err, m.stderr.String())
		}
		return m, nil
	case <-timer.C:
		_ = m.Stop()
		return nil, fmt.Errorf("the mock printed no first line within %v; stderr: %s", mockStartTimeout, m.stderr.String())
	case <-ctx.Done():
		_ = m.Stop()
		return nil, context.Cause(ctx)
	}
}

// Stop sends SIGTERM and waits for the mock to exit (SIGKILL after 10s). It
// returns an error when the mock did not exit 0 by itself.
func (m *Mock) Stop() error {
	var err error
	m.stopOnce.Do(func() {
		select {
		case <-m.exited:
		default:
			_ = m.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-m.exited:
			case <-time.After(10 * time.Second):
				_ = m.cmd.Process.Kill()
				<-m.exited
				err = errors.New("the mock did not stop on SIGTERM within 10s; killed")
				return
			}
		}
		if m.waitErr != nil {
			err = fmt.Errorf("the mock exited with %w; stderr: %s", m.waitErr, m.stderr.String())
		}
	})
	return err
}

// capped keeps the first max bytes written to it.
type capped struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.TrimSpace(c.buf.String())
}

// MockLogLine is the part of a mock --log line the harness reads.
type MockLogLine struct {
	Time      time.Time `json:"time"`
	Action    string    `json:"action"`
	UserName  string    `json:"user_name"`
	Status    int       `json:"status"`
	Code      string    `json:"code"`
	LatencyMS float64   `json:"latency_ms"`
}

// ActionStats sums up the requests of one action in a mock log.
type ActionStats struct {
	// Requests counts every request, any outcome.
	Requests int `json:"requests"`
	// OK counts the 200 answers.
	OK int `json:"ok"`
	// Throttled counts the Throttling* answers: the refusals of the mock's
	// flow control (--rate-limit) and of --throttle-rate.
	Throttled int `json:"throttled"`
	// Span runs from the first request's arrival to the last answer.
	Span time.Duration `json:"span_ns"`

	first, last time.Time
}

// Admitted is how many requests were not refused for throttling.
func (a ActionStats) Admitted() int { return a.Requests - a.Throttled }

// add counts one request that arrived at start and ended at end.
func (a *ActionStats) add(status int, code string, start, end time.Time) {
	a.Requests++
	switch {
	case status == 200:
		a.OK++
	case strings.HasPrefix(code, "Throttling"):
		a.Throttled++
	}
	if a.Requests == 1 || start.Before(a.first) {
		a.first = start
	}
	if a.Requests == 1 || end.After(a.last) {
		a.last = end
	}
	a.Span = a.last.Sub(a.first)
}

// RequestStats sums up the requests of a mock log: every action in
// Actions, and DescribeUserOnlineClients in detail in the other fields.
type RequestStats struct {
	// Actions are the requests per action (AssumeRole too).
	Actions map[string]ActionStats `json:"actions,omitempty"`
	// All sums up the requests of every Smartag action (not AssumeRole).
	All ActionStats `json:"all"`

	// Requests counts every DescribeUserOnlineClients request, any outcome.
	Requests int `json:"requests"`
	// OK counts the 200 answers.
	OK int `json:"ok"`
	// Throttled counts the Throttling* answers.
	Throttled int `json:"throttled"`
	// Codes counts the answers by error code (not the 200s).
	Codes map[string]int `json:"codes,omitempty"`
	// Users is how many distinct users were asked for.
	Users int `json:"users"`
	// Duplicates counts 200 answers beyond the first for the same user.
	Duplicates int `json:"duplicates"`
	// Span runs from the start of the first request to the end of the last
	// (the mock logs the end and the time spent).
	Span time.Duration `json:"span_ns"`
	// MaxConcurrent is the largest number of requests in the mock at once.
	MaxConcurrent int `json:"max_concurrent"`
	// ServerMS is the mock's time for each 200 answer, in log order.
	ServerMS []float64 `json:"-"`
	// SlowestRead is the longest time from a user's first request's arrival
	// to the end of its last request: one read with all its retries.
	SlowestRead time.Duration `json:"slowest_read_ns"`
	// MostAttempts is the largest number of requests for one user.
	MostAttempts int `json:"most_attempts"`
}

// ParseMockLog reads a mock --log file (one JSON object per line).
func ParseMockLog(r io.Reader) (RequestStats, error) {
	st := RequestStats{Codes: map[string]int{}, Actions: map[string]ActionStats{}}
	type interval struct{ start, end time.Time }
	var spans []interval
	okPerUser := map[string]int{}
	perUser := map[string]*struct {
		first, last time.Time
		n           int
	}{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var l MockLogLine
		if err := json.Unmarshal(line, &l); err != nil {
			return st, fmt.Errorf("mock log line %d: %w", n, err)
		}
		end := l.Time
		start := end.Add(-time.Duration(l.LatencyMS * float64(time.Millisecond)))
		a := st.Actions[l.Action]
		a.add(l.Status, l.Code, start, end)
		st.Actions[l.Action] = a
		if l.Action != sagclient.ActionAssumeRole {
			st.All.add(l.Status, l.Code, start, end)
		}
		if l.Action != sagclient.ActionDescribeUserOnlineClients {
			continue
		}
		st.Requests++
		switch {
		case l.Status == 200:
			st.OK++
			okPerUser[l.UserName]++
			st.ServerMS = append(st.ServerMS, l.LatencyMS)
		case strings.HasPrefix(l.Code, "Throttling"):
			st.Throttled++
		}
		if l.Status != 200 {
			st.Codes[l.Code]++
		}
		spans = append(spans, interval{start, end})
		u := perUser[l.UserName]
		if u == nil {
			u = &struct {
				first, last time.Time
				n           int
			}{first: start, last: end}
			perUser[l.UserName] = u
		}
		u.n++
		if start.Before(u.first) {
			u.first = start
		}
		if end.After(u.last) {
			u.last = end
		}
	}
	if err := sc.Err(); err != nil {
		return st, err
	}
	st.Users = len(perUser)
	for _, u := range perUser {
		st.SlowestRead = max(st.SlowestRead, u.last.Sub(u.first))
		st.MostAttempts = max(st.MostAttempts, u.n)
	}
	for _, c := range okPerUser {
		st.Duplicates += c - 1
	}
	if len(spans) > 0 {
		first, last := spans[0].start, spans[0].end
		type event struct {
			at    time.Time
			delta int
		}
		events := make([]event, 0, 2*len(spans))
		for _, s := range spans {
			if s.start.Before(first) {
				first = s.start
			}
			if s.end.After(last) {
				last = s.end
			}
			events = append(events, event{s.start, +1}, event{s.end, -1})
		}
		st.Span = last.Sub(first)
		// Ends before starts at the same instant: touching is not overlapping.
		slices.SortFunc(events, func(a, b event) int {
			return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.delta, b.delta))
		})
		cur := 0
		for _, e := range events {
			cur += e.delta
			st.MaxConcurrent = max(st.MaxConcurrent, cur)
		}
	}
	return st, nil
}

// ReadMockLog parses the mock log at path.
func ReadMockLog(path string) (RequestStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return RequestStats{}, err
	}
	defer f.Close()
	return ParseMockLog(f)
}
