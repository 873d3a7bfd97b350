package smartagmock

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

func describeAs(t *testing.T, s *Server, user string) rawAnswer {
	t.Helper()
	return rawCall{params: describeParams(t, SampleInstanceID, user), secret: SampleAccessKeySecret}.do(t, s.URL)
}

func TestFailFirstPerPair(t *testing.T) {
	s := startServer(t, Options{Faults: Faults{FailFirst: 2, FailFirstCode: "Throttling.User"}})
	for i := 0; i < 2; i++ {
		describeAs(t, s, "alice").wantError(t, http.StatusBadRequest, "Throttling.User")
	}
	describeAs(t, s, "alice").wantOnline(t)
	describeAs(t, s, "alice").wantOnline(t)
	// Another pair has its own count.
	describeAs(t, s, "bob").wantError(t, http.StatusBadRequest, "Throttling.User")
	if got := s.CountFor(SampleInstanceID, "alice"); got != 4 {
		t.Fatalf("CountFor(alice) = %d, want 4", got)
	}
	if got := s.CountFor(SampleInstanceID, "bob"); got != 1 {
		t.Fatalf("CountFor(bob) = %d, want 1", got)
	}
	// Unauthenticated requests are neither counted for the pair nor use up
	// the failures (Count still sees them).
	rawCall{params: describeParams(t, SampleInstanceID, "dave"), secret: "bad"}.do(t, s.URL).wantError(t, 400, "SignatureDoesNotMatch")
	describeAs(t, s, "dave").wantError(t, http.StatusBadRequest, "Throttling.User")
	if got := s.CountFor(SampleInstanceID, "dave"); got != 1 {
		t.Fatalf("CountFor(dave) = %d, want 1", got)
	}
	if got := s.Count("DescribeUserOnlineClients"); got != 7 {
		t.Fatalf("Count = %d, want 7", got)
	}
}

func TestFailFirstDefaultAndMalformedCodes(t *testing.T) {
	s := startServer(t, Options{Faults: Faults{FailFirst: 1}})
	describeAs(t, s, "alice").wantError(t, http.StatusServiceUnavailable, "ServiceUnavailable")
	describeAs(t, s, "alice").wantOnline(t)

	s.SetFaults(Faults{FailFirst: 1, FailFirstCode: "html"})
	a := describeAs(t, s, "alice") // SetFaults restarted the counting
	if a.status != http.StatusBadGateway || !strings.Contains(string(a.body), "<html>") {
		t.Fatalf("html fail-first: %d %s", a.status, a.body)
	}
	describeAs(t, s, "alice").wantOnline(t)

	s.SetFaults(Faults{FailFirst: 1, FailFirstCode: "truncated"})
	a = describeAs(t, s, "alice")
	if a.status != 200 || json.Valid(a.body) {
		t.Fatalf("truncated fail-first: %d %s", a.status, a.body)
	}
}

func TestRatesAlwaysAndNever(t *testing.T) {
	cases := []struct {
		faults Faults
		status int
		code   string
	}{
		{Faults{ThrottleRate: 1}, 400, "Throttling.User"},
		{Faults{UnavailableRate: 1}, 503, "ServiceUnavailable"},
		{Faults{InternalErrorRate: 1}, 500, "InternalError"},
	}
	for _, tc := range cases {
		s := startServer(t, Options{Faults: tc.faults})
		for i := 0; i < 5; i++ {
			describeAs(t, s, "alice").wantError(t, tc.status, tc.code)
		}
		// Faults come after authentication and only for Smartag.
		rawCall{params: describeParams(t, SampleInstanceID, "alice"), secret: "bad"}.do(t, s.URL).wantError(t, 400, "SignatureDoesNotMatch")
		a := assumeRoleCall(t, time.Now(), SampleAccessKeyID, SampleAccessKeySecret, map[string]string{"RoleArn": SampleRoleARN, "RoleSessionName": "s1"}).do(t, s.URL)
		if a.status != 200 {
			t.Fatalf("AssumeRole hit by Smartag faults: %d %s", a.status, a.body)
		}
	}
	s := startServer(t, Options{Faults: Faults{ThrottleRate: 0, UnavailableRate: 0, InternalErrorRate: 0}})
	for i := 0; i < 5; i++ {
		describeAs(t, s, "alice").wantOnline(t)
	}
}

func TestSeededRatesRepeat(t *testing.T) {
	run := func() []int {
		s := startServer(t, Options{Seed: 42, Faults: Faults{ThrottleRate: 0.5}})
		var got []int
		for i := 0; i < 30; i++ {
			got = append(got, describeAs(t, s, "alice").status)
		}
		return got
	}
	a, b := run(), run()
	seen := map[int]bool{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different outcomes:\n%v\n%v", a, b)
		}
		seen[a[i]] = true
	}
	if !seen[200] || !seen[400] {
		t.Fatalf("rate 0.5 over 30 requests gave only %v", a)
	}
}

func TestMalformedAnswers(t *testing.T) {
	s := startServer(t, Options{Faults: Faults{Malformed: "html"}})
	a := describeAs(t, s, "alice")
	if a.status != http.StatusBadGateway || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		t.Fatalf("html: %d %q", a.status, a.header.Get("Content-Type"))
	}

	s.SetFaults(Faults{Malformed: "truncated"})
	full := `{"Users":{"User":[{"OnlineTime":"1764300000","ClientIp":"10.10.1.21"}`
	a = describeAs(t, s, "alice")
	if a.status != 200 || json.Valid(a.body) || !strings.HasPrefix(full, string(a.body[:20])) {
		t.Fatalf("truncated: %d %s", a.status, a.body)
	}

	// The real SDK fails to decode it, as it would in production.
	c := sdkClient(t, s, SampleRegion, credentials.NewAccessKeyCredential(SampleAccessKeyID, SampleAccessKeySecret))
	_, err := sdkDescribe(c, SampleRegion, SampleInstanceID, "alice", "")
	var ce *sdkerrors.ClientError
	if !errors.As(err, &ce) || ce.ErrorCode() != sdkerrors.JsonUnmarshalErrorCode {
		t.Fatalf("SDK on truncated JSON: %T %v", err, err)
	}

	s.SetFaults(Faults{Malformed: "html", MalformedRate: 0.000001})
	describeAs(t, s, "alice").wantOnline(t)
}

func TestLatencyHonoured(t *testing.T) {
	const latency = 60 * time.Millisecond
	s := startServer(t, Options{Faults: Faults{Latency: latency, Jitter: 10 * time.Millisecond}})
	start := time.Now()
	describeAs(t, s, "alice").wantOnline(t)
	if el := time.Since(start); el < latency {
		t.Fatalf("answered after %v, latency is %v", el, latency)
	}
}

func TestLatencyCancelledByClientAndShutdown(t *testing.T) {
	s, err := Start(Options{Faults: Faults{Latency: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	p := describeParams(t, SampleInstanceID, "alice")
	p["Signature"] = testSign(http.MethodGet, p, SampleAccessKeySecret)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/?"+encodeParams(p, false), nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("request should have timed out")
	}
	// A delayed request in flight must not hold up Close.
	p2 := describeParams(t, SampleInstanceID, "bob")
	p2["Signature"] = testSign(http.MethodGet, p2, SampleAccessKeySecret)
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Get(s.URL + "/?" + encodeParams(p2, false))
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	for s.Count("DescribeUserOnlineClients") < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(shutdownGrace - time.Second):
		t.Fatal("Close waited for the latency fault")
	}
	if st := <-answered; st != http.StatusServiceUnavailable {
		t.Fatalf("delayed request cut by shutdown answered %d, want 503", st)
	}
}

func TestSetFaultsAtRunTime(t *testing.T) {
	s := startServer(t, Options{})
	describeAs(t, s, "alice").wantOnline(t)
	s.SetFaults(Faults{UnavailableRate: 1})
	describeAs(t, s, "alice").wantError(t, 503, "ServiceUnavailable")
	s.SetFaults(Faults{ThrottleRate: 7, FailFirstCode: "nonsense", Malformed: "weird"}) // clamped, not refused
	describeAs(t, s, "alice").wantError(t, 400, "Throttling.User")
	s.SetFaults(Faults{})
	describeAs(t, s, "alice").wantOnline(t)
}

func TestInvalidFaultsRefused(t *testing.T) {
	for _, f := range []Faults{
		{ThrottleRate: 1.5}, {UnavailableRate: -0.1}, {Latency: -time.Second},
		{FailFirst: -1}, {FailFirstCode: "Bogus"}, {Malformed: "json"}, {MalformedRate: 2},
	} {
		if _, err := NewHandler(Options{Faults: f}); err == nil {
			t.Errorf("NewHandler accepted %+v", f)
		}
	}
}
