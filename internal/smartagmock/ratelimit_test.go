package smartagmock

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/testutil"
)

var t0 = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)

func TestRateLimiterRollingWindow(t *testing.T) {
	l := &rateLimiter{limit: 3}
	steps := []struct {
		at   time.Duration
		want bool
	}{
		{0, true}, {100 * time.Millisecond, true}, {200 * time.Millisecond, true},
		{300 * time.Millisecond, false}, {999 * time.Millisecond, false}, // refusals do not count...
		{time.Second, true}, // ...the first admission is exactly one window old: out
		{time.Second + 50*time.Millisecond, false},
		{time.Second + 100*time.Millisecond, true},
		{5 * time.Second, true}, {5 * time.Second, true}, {5 * time.Second, true}, {5 * time.Second, false},
	}
	for i, s := range steps {
		if got := l.admit(t0.Add(s.at)); got != s.want {
			t.Fatalf("step %d at %v: admitted=%v, want %v", i, s.at, got, s.want)
		}
	}
	if a, r, p := l.counts(); a != 8 || r != 4 || p != 3 {
		t.Fatalf("admitted %d refused %d peak %d, want 8 4 3", a, r, p)
	}
	if len(l.ring) > 3 {
		t.Fatalf("ring grew to %d for a limit of 3", len(l.ring))
	}
}

func TestRateLimiterUnlimitedMeasuresPeak(t *testing.T) {
	l := &rateLimiter{}
	for i := 0; i < 40; i++ { // 40 within 400ms
		if !l.admit(t0.Add(time.Duration(i) * 10 * time.Millisecond)) {
			t.Fatal("unlimited limiter refused")
		}
	}
	for i := 0; i < 5; i++ { // a quieter second later
		l.admit(t0.Add(3*time.Second + time.Duration(i)*100*time.Millisecond))
	}
	if a, r, p := l.counts(); a != 45 || r != 0 || p != 40 {
		t.Fatalf("admitted %d refused %d peak %d, want 45 0 40", a, r, p)
	}
}

func TestRateLimiterSetLimitAndReset(t *testing.T) {
	l := &rateLimiter{}
	for i := 0; i < 20; i++ {
		l.admit(t0)
	}
	l.setLimit(5) // the window already holds more: nothing more this second
	if l.admit(t0.Add(10 * time.Millisecond)) {
		t.Fatal("admitted above the new limit")
	}
	if !l.admit(t0.Add(time.Second)) {
		t.Fatal("refused once the window moved on")
	}
	l.reset()
	if a, r, p := l.counts(); a != 0 || r != 0 || p != 0 || l.n != 0 {
		t.Fatalf("after reset: %d %d %d n=%d", a, r, p, l.n)
	}
}

func TestRateLimiterConcurrent(t *testing.T) {
	l := &rateLimiter{limit: 50}
	var wg sync.WaitGroup
	for w := 0; w < 20; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				l.admit(t0.Add(time.Duration(i) * 10 * time.Millisecond))
			}
		}()
	}
	wg.Wait()
	a, r, p := l.counts()
	if a+r != 2000 || p != 50 || a < 50 {
		t.Fatalf("admitted %d refused %d peak %d", a, r, p)
	}
}

// TestRateLimitThroughTheHandler drives the handler with a settable clock:
// requests carry the clock's Timestamp, the limiter sees the same instant.
func TestRateLimitThroughTheHandler(t *testing.T) {
	clock := &fakeClock{t: t0}
	var logBuf testutil.LockedBuffer
	s := startServer(t, Options{RateLimit: 2, Now: clock.Now, Log: &logBuf})
	call := func(action, secret string) rawAnswer {
		p := baseParams(t, action, smartagVersion, SampleAccessKeyID, clock.Now())
		p["RegionId"], p["SmartAGId"], p["UserName"], p["UserNames.1"] = SampleRegion, SampleInstanceID, "alice", "alice"
		return rawCall{params: p, secret: secret}.do(t, s.URL)
	}
	// Unauthenticated requests are not counted by the flow control.
	call(actionDescribeOnline, "wrong").wantError(t, http.StatusBadRequest, "SignatureDoesNotMatch")
	call(actionDescribeOnline, SampleAccessKeySecret).wantOnline(t)
	call(actionDescribeOnline, SampleAccessKeySecret).wantOnline(t)
	d := call(actionDescribeOnline, SampleAccessKeySecret).wantError(t, http.StatusBadRequest, "Throttling.User")
	if !strings.Contains(d.Message, "flow control") {
		t.Fatalf("message %q", d.Message)
	}
	// Per action: another action has its own budget; STS is not limited.
	for i := 0; i < 2; i++ {
		if a := call(actionStatistics, SampleAccessKeySecret); a.status != 200 {
			t.Fatalf("statistics %d: %d %s", i, a.status, a.body)
		}
	}
	call(actionStatistics, SampleAccessKeySecret).wantError(t, http.StatusBadRequest, "Throttling.User")
	for i := 0; i < 3; i++ {
		a := assumeRoleCall(t, clock.Now(), SampleAccessKeyID, SampleAccessKeySecret, map[string]string{"RoleArn": SampleRoleARN, "RoleSessionName": "s1"}).do(t, s.URL)
		if a.status != 200 {
			t.Fatalf("AssumeRole limited: %d %s", a.status, a.body)
		}
	}
	clock.Advance(time.Second)
	call(actionDescribeOnline, SampleAccessKeySecret).wantOnline(t)

	for action, want := range map[string][3]int{actionDescribeOnline: {3, 1, 2}, actionStatistics: {2, 1, 2}, actionGateways: {0, 0, 0}, "Bogus": {0, 0, 0}} {
		if a, r, p := s.Admitted(action), s.Refused(action), s.PeakAdmitted(action); [3]int{a, r, p} != want {
			t.Errorf("%s: admitted %d refused %d peak %d, want %v", action, a, r, p, want)
		}
	}
	if s.Count(actionDescribeOnline) != 5 {
		t.Errorf("Count = %d, want 5 (every request)", s.Count(actionDescribeOnline))
	}

	// The refusal is logged like any other error.
	var throttled int
	for _, line := range strings.Split(strings.TrimSpace(logBuf.String()), "\n") {
		var l logLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		if l.Code == "Throttling.User" && l.Status == 400 {
			throttled++
		}
	}
	if throttled != 2 {
		t.Fatalf("%d throttled log lines, want 2:\n%s", throttled, logBuf.String())
	}

	s.Reset()
	if s.Admitted(actionDescribeOnline) != 0 || s.PeakAdmitted(actionDescribeOnline) != 0 || s.Refused(actionStatistics) != 0 {
		t.Fatal("Reset kept flow control counters")
	}
}

func TestRateLimitComesBeforeFaults(t *testing.T) {
	clock := &fakeClock{t: t0}
	s := startServer(t, Options{RateLimit: 1, Now: clock.Now, Faults: Faults{FailFirst: 1, FailFirstCode: "InternalError"}})
	call := func() rawAnswer {
		p := baseParams(t, actionDescribeOnline, smartagVersion, SampleAccessKeyID, clock.Now())
		p["RegionId"], p["SmartAGId"], p["UserName"] = SampleRegion, SampleInstanceID, "alice"
		return rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
	}
	call().wantError(t, http.StatusInternalServerError, "InternalError") // admitted, then the fault
	call().wantError(t, http.StatusBadRequest, "Throttling.User")        // refused: the fault is not used up
	clock.Advance(time.Second)
	call().wantOnline(t)
	s.SetRateLimit(0) // lifted: the same second admits more
	call().wantOnline(t)
	call().wantOnline(t)
	if s.PeakAdmitted(actionDescribeOnline) != 3 {
		t.Fatalf("peak %d, want 3", s.PeakAdmitted(actionDescribeOnline))
	}
}

func TestRateLimitValidated(t *testing.T) {
	for _, q := range []int{-1, MaxRateLimit + 1} {
		if _, err := NewHandler(Options{RateLimit: q}); err == nil || !strings.Contains(err.Error(), "rate limit") {
			t.Errorf("RateLimit %d: %v", q, err)
		}
	}
}
