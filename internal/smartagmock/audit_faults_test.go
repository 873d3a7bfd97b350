package smartagmock

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// auditCall is a signed request for one of the audit actions on the sample.
func auditCall(t *testing.T, s *Server, action string) rawAnswer {
	t.Helper()
	p := baseParams(t, action, smartagVersion, SampleAccessKeyID, time.Now())
	p["RegionId"] = SampleRegion
	if action != actionGateways {
		p["SmartAGId"] = SampleInstanceID
	}
	p["UserNames.1"] = "alice"
	return rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
}

var auditActions = []string{actionStatistics, actionClientUsers, actionGateways}

func TestFaultsApplyToAuditActions(t *testing.T) {
	for _, tc := range []struct {
		faults Faults
		status int
		code   string
	}{
		{Faults{ThrottleRate: 1}, 400, "Throttling.User"},
		{Faults{UnavailableRate: 1}, 503, "ServiceUnavailable"},
		{Faults{InternalErrorRate: 1}, 500, "InternalError"},
	} {
		s := startServer(t, Options{Faults: tc.faults})
		for _, action := range auditActions {
			auditCall(t, s, action).wantError(t, tc.status, tc.code)
		}
	}

	s := startServer(t, Options{Faults: Faults{Malformed: MalformedHTML}})
	for _, action := range auditActions {
		if a := auditCall(t, s, action); a.status != http.StatusBadGateway || !strings.Contains(string(a.body), "<html>") {
			t.Errorf("%s malformed: %d %s", action, a.status, a.body)
		}
	}
}

func TestFailFirstPerActionAndInstance(t *testing.T) {
	s := startServer(t, Options{Faults: Faults{FailFirst: 2, FailFirstCode: "Throttling.Api"}})
	for _, action := range auditActions {
		auditCall(t, s, action).wantError(t, 400, "Throttling.Api")
		auditCall(t, s, action).wantError(t, 400, "Throttling.Api")
		if a := auditCall(t, s, action); a.status != 200 {
			t.Fatalf("%s third request: %d %s", action, a.status, a.body)
		}
	}
	// Another instance, same action: its own count.
	p := baseParams(t, actionClientUsers, smartagVersion, SampleAccessKeyID, time.Now())
	p["RegionId"], p["SmartAGId"] = SampleHongKongRegion, SampleHongKongInstanceID
	rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, 400, "Throttling.Api")
	// DescribeUserOnlineClients still counts per (instance, user).
	describeAs(t, s, "alice").wantError(t, 400, "Throttling.Api")
	describeAs(t, s, "bob").wantError(t, 400, "Throttling.Api")
}

func TestLatencyOnAuditActions(t *testing.T) {
	const latency = 40 * time.Millisecond
	s := startServer(t, Options{Faults: Faults{Latency: latency}})
	for _, action := range auditActions {
		start := time.Now()
		if a := auditCall(t, s, action); a.status != 200 {
			t.Fatalf("%s: %d %s", action, a.status, a.body)
		}
		if el := time.Since(start); el < latency {
			t.Fatalf("%s answered after %v, latency is %v", action, el, latency)
		}
	}
}

func TestCountCountsEveryAction(t *testing.T) {
	s := startServer(t, Options{})
	for i, action := range auditActions {
		for j := 0; j <= i; j++ {
			auditCall(t, s, action)
		}
	}
	for i, action := range auditActions {
		if got := s.Count(action); got != i+1 {
			t.Errorf("Count(%s) = %d, want %d", action, got, i+1)
		}
		if got := s.Admitted(action); got != i+1 {
			t.Errorf("Admitted(%s) = %d, want %d", action, got, i+1)
		}
	}
}
