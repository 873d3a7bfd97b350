package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

const (
	actList    = sagclient.ActionDescribeSmartAccessGatewayClientUsers
	actStats   = sagclient.ActionDescribeUserOnlineClientStatistics
	actDetails = sagclient.ActionDescribeUserOnlineClients
)

func TestAuditPhases(t *testing.T) {
	for _, c := range []struct {
		users, online int
		want          [3]int
	}{
		{10000, 1000, [3]int{100, 200, 1000}},
		{150, 3, [3]int{2, 3, 3}},
		{101, 0, [3]int{2, 3, 0}},
		{0, 0, [3]int{1, 0, 0}}, // an empty instance still costs its first page
	} {
		ps := AuditPhases(c.users, c.online)
		got := [3]int{ps[0].Requests, ps[1].Requests, ps[2].Requests}
		if got != c.want || ps[0].Action != actList || ps[1].Action != actStats || ps[2].Action != actDetails {
			t.Errorf("AuditPhases(%d, %d) = %+v, want requests %v", c.users, c.online, ps, c.want)
		}
		if n := PhaseRequests(ps); n != c.want[0]+c.want[1]+c.want[2] {
			t.Errorf("PhaseRequests = %d", n)
		}
	}
	for _, c := range []struct{ users, k, want int }{{10000, 10, 1000}, {9, 10, 0}, {25, 10, 2}, {100, 0, 0}, {100, -1, 0}} {
		if got := GeneratedOnline(c.users, c.k); got != c.want {
			t.Errorf("GeneratedOnline(%d, %d) = %d, want %d", c.users, c.k, got, c.want)
		}
	}
}

func TestIdealsOfRateLimits(t *testing.T) {
	if got := IdealAtRate(200, 5); got != 40*time.Second {
		t.Errorf("200 at 5/s = %v", got)
	}
	if got := IdealAtRate(200, 15); got.Round(time.Millisecond) != 13333*time.Millisecond {
		t.Errorf("200 at 15/s = %v", got)
	}
	if got := IdealAtRate(200, 0); got != 0 {
		t.Errorf("no rate: %v", got)
	}
	phases := AuditPhases(10000, 1000)
	// The phases are sequential, so their ideals add up: 5 + 10 + 50 s, not
	// the 50 s of the largest phase nor 1300/(3 × 20) s.
	if got := IdealSequential(phases, 20); got != 65*time.Second {
		t.Errorf("audit at 20/s = %v, want 65s", got)
	}
	// (⌈100/20⌉−1) + (⌈200/20⌉−1) + (⌈1000/20⌉−1) = 4 + 9 + 49.
	if got := RollingWindowBound(phases, 20); got != 62*time.Second {
		t.Errorf("rolling-window bound = %v, want 62s", got)
	}
	if got := RollingWindowBound(AuditPhases(150, 0), 20); got != 0 {
		t.Errorf("phases within one burst: %v, want 0", got)
	}
	if got := RollingWindowBound(phases, 0); got != 0 {
		t.Errorf("no rate: %v", got)
	}
	// Page 1 alone, then ⌈99/16⌉ = 7 rounds; ⌈200/16⌉ = 13; ⌈1000/16⌉ = 63.
	if got := IdealFanOut(phases, 16, 30*time.Millisecond); got != 84*30*time.Millisecond {
		t.Errorf("fan-out ideal = %v, want 84 rounds of 30ms", got)
	}
	if got := IdealFanOut(AuditPhases(50, 0), 16, 10*time.Millisecond); got != 20*time.Millisecond {
		t.Errorf("one page and one batch: %v, want 2 rounds", got)
	}
}

func TestRatiosAndShares(t *testing.T) {
	if s, err := RefusalShare(13, 200); err != nil || math.Abs(s-0.065) > 1e-12 {
		t.Errorf("13 of 200: %v, %v", s, err)
	}
	if _, err := RefusalShare(5, 0); !errors.Is(err, ErrNothingAdmitted) {
		t.Errorf("nothing admitted: %v", err)
	}
	if r, err := Ratio(70*time.Second, 65*time.Second); err != nil || math.Abs(r-70.0/65) > 1e-12 {
		t.Errorf("ratio: %v, %v", r, err)
	}
	if _, err := Ratio(time.Second, 0); !errors.Is(err, ErrNoIdeal) {
		t.Errorf("zero ideal: %v", err)
	}
	// (41.6 − 1.6) / 40 = 1.
	if s, err := Slowdown(41600*time.Millisecond, 1600*time.Millisecond, 40*time.Second); err != nil || math.Abs(s-1) > 1e-12 {
		t.Errorf("slowdown: %v, %v", s, err)
	}
	if c, err := Change(3300*time.Microsecond, 3*time.Millisecond); err != nil || math.Abs(c-0.1) > 1e-9 {
		t.Errorf("change: %v, %v", c, err)
	}
	if _, err := Change(time.Millisecond, 0); err == nil {
		t.Error("change against zero: no error")
	}
	if fmtPercent(0.065) != "6.5%" || fmtSigned(0.1) != "+10.0%" || fmtSigned(-0.027) != "-2.7%" {
		t.Errorf("formats: %s %s %s", fmtPercent(0.065), fmtSigned(0.1), fmtSigned(-0.027))
	}
	if runsFor(40*time.Second, 10*time.Second, 5) != 1 || runsFor(5*time.Second, 10*time.Second, 5) != 5 {
		t.Error("runsFor: slow measurements run once, the others Repeat times")
	}
	if runTimeout(40*time.Second) <= 40*time.Second {
		t.Error("a plan must get more than its ideal before it is stopped")
	}
}

func actionLine(end, action, user string, status int, code string, latencyMS float64) string {
	b, _ := json.Marshal(map[string]any{
		"time": end, "method": "POST", "action": action, "smartag_id": GeneratedSmartAGID, "user_name": user,
		"status": status, "code": code, "latency_ms": latencyMS,
	})
	return string(b) + "\n"
}

func TestParseMockLogActions(t *testing.T) {
	var log strings.Builder
	// list: 0-30ms, refused at 40ms (no latency), again 40-70ms; stats: 80-110ms; details: 120-150ms.
	log.WriteString(actionLine("2026-01-01T00:00:00.030Z", actList, "", 200, "", 30))
	log.WriteString(actionLine("2026-01-01T00:00:00.040Z", actList, "", 400, "Throttling.User", 0))
	log.WriteString(actionLine("2026-01-01T00:00:00.070Z", actList, "", 200, "", 30))
	log.WriteString(`{"time":"2026-01-01T00:00:00.075Z","action":"AssumeRole","status":200,"latency_ms":1}` + "\n")
	log.WriteString(actionLine("2026-01-01T00:00:00.110Z", actStats, "", 200, "", 30))
	log.WriteString(actionLine("2026-01-01T00:00:00.150Z", actDetails, "u1", 200, "", 30))
	st, err := ParseMockLog(strings.NewReader(log.String()))
	if err != nil {
		t.Fatal(err)
	}
	l := st.Actions[actList]
	if l.Requests != 3 || l.OK != 2 || l.Throttled != 1 || l.Admitted() != 2 || l.Span != 70*time.Millisecond {
		t.Errorf("list: %+v", l)
	}
	if s := st.Actions[actStats]; s.Requests != 1 || s.Span != 30*time.Millisecond {
		t.Errorf("stats: %+v", s)
	}
	if a := st.Actions["AssumeRole"]; a.Requests != 1 {
		t.Errorf("AssumeRole is counted apart: %+v", a)
	}
	// All: the Smartag actions only, first arrival (0ms) to last answer (150ms).
	if st.All.Requests != 5 || st.All.Throttled != 1 || st.All.Admitted() != 4 || st.All.Span != 150*time.Millisecond {
		t.Errorf("all: %+v", st.All)
	}
	// The detailed fields still describe DescribeUserOnlineClients alone.
	if st.Requests != 1 || st.OK != 1 || st.Users != 1 {
		t.Errorf("details: %+v", st)
	}
}

func TestMockOptionsArgsFlowControl(t *testing.T) {
	args := strings.Join(MockOptions{Fixture: "f", Log: "l", Latency: 30 * time.Millisecond, RateLimit: 20, GenerateUsers: 10000, OnlineEvery: 10}.Args(), " ")
	want := "--listen 127.0.0.1:0 --data f --log l --seed 0 --latency 30ms --rate-limit 20 --generate-users 10000 --online-every 10"
	if args != want {
		t.Errorf("args = %q, want %q", args, want)
	}
}

func TestGenerateConfigAudit(t *testing.T) {
	text, err := GenerateConfig(ConfigSpec{AuditSmartAGID: GeneratedSmartAGID, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "data \"smartag_online_clients\" \"audit\" {\n  smartag_id = \"sag-generated0bench01\"\n}") ||
		strings.Contains(text, "smartag_user_online_clients") || strings.Contains(text, "max_retries") {
		t.Errorf("config:\n%s", text)
	}
	if _, err := GenerateConfig(ConfigSpec{AuditSmartAGID: `x" }`}); err == nil {
		t.Error("an unsafe id was written into the configuration")
	}
}

func TestParseProviderLogAudit(t *testing.T) {
	const log = `2026-11-29T02:55:53.839Z [TRACE] provider.terraform-provider-smartag: Received request: tf_rpc=ReadDataSource @module=sdk.proto
2026-11-29T02:55:56.549Z [INFO]  provider.terraform-provider-smartag: audited instance: accounts=10000 tf_data_source_type=smartag_online_clients requests_by_action="map[DescribeSmartAccessGatewayClientUsers:100 DescribeUserOnlineClients:1000]" clients=1000 governor_wait_ms="1.040399e+06" requests=1300
2026-11-29T02:55:56.956Z [TRACE] provider.terraform-provider-smartag: Received downstream response: diagnostic_error_count=0 tf_rpc=ReadDataSource tf_req_duration_ms=3116 @module=sdk.proto
2026-11-29T02:55:57.100Z [INFO]  provider.terraform-provider-smartag: read online clients: clients=2 governor_wait_ms=30 request_id=X
2026-11-29T02:55:57.101Z [TRACE] provider.terraform-provider-smartag: Received downstream response: tf_rpc=ReadDataSource tf_req_duration_ms=12
`
	got, err := ParseProviderLog(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.AuditAccounts) != 1 || got.AuditAccounts[0] != 10000 || len(got.AuditClients) != 1 || got.AuditClients[0] != 1000 {
		t.Errorf("audit: %v accounts, %v clients", got.AuditAccounts, got.AuditClients)
	}
	if got.GovernorWaitMS != 1040429 {
		t.Errorf("governor wait = %d ms, want 1040399 (as Terraform prints it) + 30", got.GovernorWaitMS)
	}
	// 02:55:56.549 to 02:55:56.956, once: the second response follows no audit.
	if len(got.AfterAuditMS) != 1 || got.AfterAuditMS[0] != 407 {
		t.Errorf("after audit = %v, want [407]", got.AfterAuditMS)
	}
	if len(got.ReadMS) != 2 || len(got.Clients) != 1 || got.Clients[0] != 2 {
		t.Errorf("reads %v, clients %v", got.ReadMS, got.Clients)
	}
}

func TestPlanFailure(t *testing.T) {
	const out = `data.smartag_user_online_clients.u[3]: Reading...

Planning failed. Terraform encountered an error while generating this plan.

╷
│ Error: Smartag API error Throttling.User after 6 attempts
│ 
│   with data.smartag_user_online_clients.u[17],
│   on main.tf line 25, in data "smartag_user_online_clients" "u":
│   25: data "smartag_user_online_clients" "u" {
│ 
│ The request was retried and still failed: max_retries (5) was reached.
╵
╷
│ Error: second
╵
`
	if got := PlanFailure(out); got != "Smartag API error Throttling.User after 6 attempts: The request was retried and still failed: max_retries (5) was reached." {
		t.Errorf("PlanFailure = %q", got)
	}
	if got := PlanFailure("╷\n│ Error: alone\n╵\n╷\n│ Error: next\n│ \n│ detail\n╵\n"); got != "alone" {
		t.Errorf("an error without detail = %q", got)
	}
	if got := PlanFailure("No changes.\n"); got != "" {
		t.Errorf("no error = %q", got)
	}
}

// flowRun is a run of n single reads: ok answered, refused throttled.
func flowRun(wall float64, ok, refused int) RunRecord {
	users := ok
	st := RequestStats{Requests: ok + refused, OK: ok, Throttled: refused, Users: users,
		Actions: map[string]ActionStats{actDetails: {Requests: ok + refused, OK: ok, Throttled: refused}},
		All:     ActionStats{Requests: ok + refused, OK: ok, Throttled: refused}}
	return RunRecord{Scenario: scFlowReads, WallS: wall, Mock: &st}
}

func TestFlowReadMetrics(t *testing.T) {
	unlimited := []RunRecord{flowRun(1.5, 200, 0), flowRun(1.7, 200, 0), flowRun(1.6, 200, 0)}
	failed := flowRun(19, 197, 149)
	failed.ExitCode, failed.Failure = 1, "Smartag API error Throttling.User"
	byQ := map[int][]RunRecord{
		5:  {flowRun(41, 200, 13)},                         // ideal 40 + 1.6, target 49.6
		15: {failed},                                       // reads fail
		40: {flowRun(7.3, 200, 30), flowRun(7.0, 200, 30)}, // ideal 5 + 1.6, target 7.6; 15% refused
	}
	ms := FlowReadMetrics(200, []int{5, 15, 40}, unlimited, byQ)
	if m := find(t, ms, "no limit: plan wall"); m.Value != 1600 {
		t.Errorf("wall_unlimited: %+v", m)
	}
	if m := find(t, ms, "Q=5: plan wall"); m.Status != StatusOK || m.Ideal != "41.60 s" || m.Target != "≤ 49.60 s" {
		t.Errorf("Q=5 wall: %+v", m)
	}
	if m := find(t, ms, "Q=5: (wall"); math.Abs(m.Value-(41-1.6)/40) > 1e-9 || m.Ideal != "1.00" {
		t.Errorf("Q=5 slowdown: %+v", m)
	}
	if m := find(t, ms, "Q=5: refused"); m.Status != StatusOK || math.Abs(m.Value-0.065) > 1e-12 {
		t.Errorf("Q=5 refusals: %+v", m)
	}
	if m := find(t, ms, "Q=15: reads that failed"); m.Status != StatusMissed || m.Value != 3 || !strings.Contains(m.How, "Throttling.User") {
		t.Errorf("Q=15 failed reads: %+v", m)
	}
	if m := find(t, ms, "Q=15: plan wall"); m.Status != StatusMissed || !strings.HasPrefix(m.Display, "n/a") {
		t.Errorf("Q=15 wall of no successful plan: %+v", m)
	}
	if m := find(t, ms, "Q=40: plan wall"); m.Status != StatusOK || m.Value != 7150 {
		t.Errorf("Q=40 wall (median 7.15 s, target 7.6 s): %+v", m)
	}
	if m := find(t, ms, "Q=40: refused"); m.Status != StatusMissed || math.Abs(m.Value-0.15) > 1e-12 {
		t.Errorf("Q=40 refusals: %+v", m)
	}
	byQ[40] = []RunRecord{flowRun(8, 200, 3)}
	if m := find(t, FlowReadMetrics(200, []int{40}, unlimited, byQ), "Q=40: plan wall"); m.Status != StatusMissed {
		t.Errorf("Q=40 wall 8 s over a 7.6 s target: %+v", m)
	}
	// Without a successful unlimited plan there is no reference.
	bad := flowRun(1, 150, 0)
	bad.ExitCode = 1
	if m := find(t, FlowReadMetrics(200, []int{5}, []RunRecord{bad}, byQ), "Q=5: plan wall"); m.Status != StatusNA {
		t.Errorf("no reference: %+v", m)
	}
}

// auditRun is an audit plan with the given requests (refused) per phase.
func auditRun(scenario string, wall float64, refused [3]int, complete bool) RunRecord {
	phases := AuditPhases(10000, 1000)
	st := RequestStats{Actions: map[string]ActionStats{}}
	for i, p := range phases {
		a := ActionStats{Requests: p.Requests + refused[i], OK: p.Requests, Throttled: refused[i], Span: IdealAtRate(p.Requests, 20)}
		st.Actions[p.Action] = a
		st.All.Requests += a.Requests
		st.All.OK += a.OK
		st.All.Throttled += a.Throttled
	}
	st.All.Span = 60 * time.Second
	r := RunRecord{Scenario: scenario, WallS: wall, Mock: &st, ProviderPeakMiB: 115, ProviderReadMS: []int64{3100}, AfterAuditMS: []int64{400},
		GovernorWaitMS: 600000}
	if complete {
		r.AuditAccounts, r.AuditClients = []int64{10000}, []int64{1000}
	}
	return r
}

func TestAuditMetrics(t *testing.T) {
	runs := []RunRecord{auditRun(scAudit, 3.7, [3]int{}, true), auditRun(scAudit, 3.9, [3]int{}, true)}
	runs[0].Mock.All.Span, runs[1].Mock.All.Span = 2700*time.Millisecond, 2900*time.Millisecond
	ms := AuditMetrics(10000, 1000, 30*time.Millisecond, runs)
	if m := find(t, ms, "audits that failed"); m.Status != StatusOK {
		t.Errorf("failed: %+v", m)
	}
	for _, a := range []string{actList, actStats, actDetails} {
		if m := find(t, ms, "requests, "+a); m.Status != StatusOK {
			t.Errorf("%s: %+v", a, m)
		}
	}
	if m := find(t, ms, "read phase (mock)"); m.Value != 2800 || m.Ideal != "2.52 s" {
		t.Errorf("read phase: %+v", m)
	}
	if m := find(t, ms, "  of which after the fan-out"); m.Value != 400 {
		t.Errorf("after the fan-out: %+v", m)
	}
	if m := find(t, ms, "provider peak RSS"); m.Status != StatusOK {
		t.Errorf("rss: %+v", m)
	}
	runs[1].ProviderPeakMiB = 160
	runs[1].Mock.Actions[actDetails] = ActionStats{Requests: 10000}
	ms = AuditMetrics(10000, 1000, 30*time.Millisecond, runs)
	if m := find(t, ms, "provider peak RSS"); m.Status != StatusMissed {
		t.Errorf("160 MiB: %+v", m)
	}
	if m := find(t, ms, "requests, "+actDetails); m.Status != StatusMissed || m.Display != "1000 to 10000 over 2 plans" {
		t.Errorf("one request per account: %+v", m)
	}
	// An audit whose provider log does not show every account is a failure.
	incomplete := auditRun(scAudit, 3.7, [3]int{}, false)
	if m := find(t, AuditMetrics(10000, 1000, 30*time.Millisecond, []RunRecord{incomplete}), "audits that failed"); m.Status != StatusMissed {
		t.Errorf("incomplete audit: %+v", m)
	}
}

func TestFlowAuditMetrics(t *testing.T) {
	unlimited := []RunRecord{auditRun(scAudit, 5, [3]int{}, true)}
	runs := []RunRecord{auditRun(scFlowAudit, 70, [3]int{15, 12, 19}, true)}
	ms := FlowAuditMetrics(10000, 1000, 20, runs, unlimited)
	if m := find(t, ms, "plan wall"); m.Status != StatusOK || m.Ideal != "65.00 s" || m.Target != "≤ 78.00 s" || !strings.Contains(m.How, "100/20 + 200/20 + 1000/20 s") {
		t.Errorf("wall: %+v", m)
	}
	if m := find(t, ms, "plan wall / ideal"); math.Abs(m.Value-70.0/65) > 1e-9 {
		t.Errorf("wall / ideal: %+v", m)
	}
	if m := find(t, ms, "(wall − unlimited"); math.Abs(m.Value-1) > 1e-9 {
		t.Errorf("(70 − 5)/65: %+v", m)
	}
	if m := find(t, ms, "rolling-window bound"); m.Value != 62000 {
		t.Errorf("bound: %+v", m)
	}
	if m := find(t, ms, "phase 3, "+actDetails); m.Value != 50000 || m.Ideal != "50.00 s" {
		t.Errorf("phase 3: %+v", m)
	}
	if m := find(t, ms, "phase 1: refused"); math.Abs(m.Value-0.15) > 1e-12 || m.Target != "" {
		t.Errorf("phase 1 refusals (information only): %+v", m)
	}
	if m := find(t, ms, "refused / admitted, all actions"); m.Status != StatusOK || math.Abs(m.Value-46.0/1300) > 1e-12 {
		t.Errorf("all refusals: %+v", m)
	}
	if m := find(t, ms, "time requests waited"); m.Value != 600000 || m.Display != "600.00 s (445.8 ms per request)" {
		t.Errorf("governor wait: %+v", m)
	}

	slow := []RunRecord{auditRun(scFlowAudit, 80, [3]int{100, 50, 30}, true)}
	ms = FlowAuditMetrics(10000, 1000, 20, slow, nil)
	if m := find(t, ms, "plan wall"); m.Status != StatusMissed {
		t.Errorf("80 s over 78 s: %+v", m)
	}
	if m := find(t, ms, "refused / admitted, all actions"); m.Status != StatusMissed {
		t.Errorf("180 of 1300 refused: %+v", m)
	}
	for _, m := range ms {
		if strings.HasPrefix(m.Name, "(wall − unlimited") {
			t.Errorf("a comparison with an unlimited audit that did not run: %+v", m)
		}
	}
	failed := auditRun(scFlowAudit, 20, [3]int{}, false)
	failed.ExitCode, failed.Failure = 1, "Smartag API error Throttling.User"
	ms = FlowAuditMetrics(10000, 1000, 20, []RunRecord{failed}, unlimited)
	if m := find(t, ms, "audits that failed"); m.Status != StatusMissed || !strings.Contains(m.How, "run 0: Smartag API error") {
		t.Errorf("failed audit: %+v", m)
	}
	if m := find(t, ms, "plan wall"); m.Status != StatusMissed || !strings.HasPrefix(m.Display, "n/a") {
		t.Errorf("wall of no successful audit: %+v", m)
	}
}

func TestConversionMetrics(t *testing.T) {
	res := []GoBenchmark{
		{Name: "BenchmarkOnlineClientsState/accounts=10000,online=1000/direct", NsPerOp: 25e6, BytesPerOp: 20 << 20, AllocsPerOp: 300000},
		{Name: "BenchmarkOnlineClientsState/accounts=10000,online=1000/framework-State.Set", NsPerOp: 500e6, BytesPerOp: 200 << 20},
	}
	ms := ConversionMetrics(res)
	if len(ms) != 3 || ms[0].Scenario != scAudit || ms[0].Status != StatusOK || ms[0].Value != 25 || ms[1].Value != 500 || math.Abs(ms[2].Value-0.05) > 1e-12 {
		t.Errorf("conversion: %+v", ms)
	}
	res[0].NsPerOp = 350e6
	if ms := ConversionMetrics(res); ms[0].Status != StatusMissed {
		t.Errorf("350 ms: %+v", ms[0])
	}
	if ms := ConversionMetrics(res[1:]); len(ms) != 1 || ms[0].Status != StatusMissed || !strings.Contains(ms[0].Display, "not found") {
		t.Errorf("no benchmark: %+v", ms)
	}
}

func TestOverheadBaselineMetrics(t *testing.T) {
	none := []RunRecord{run(scOverhead, "", 0.2, 0.1, 0, 20, RequestStats{})}
	base := []RunRecord{run(scOverhead, "", 0.8, 0.7, 0, 40, RequestStats{})}   // 3 ms per read
	newer := []RunRecord{run(scOverhead, "", 0.83, 0.9, 0, 40, RequestStats{})} // 3.15 ms (+5%), CPU 4 ms (+33%)
	ms := OverheadBaselineMetrics(200, none, newer, none, base)
	if m := find(t, ms, "wall per read, provider against baseline"); m.Status != StatusOK || math.Abs(m.Value-0.05) > 1e-9 || m.Display != "+5.0%" {
		t.Errorf("wall change: %+v", m)
	}
	if m := find(t, ms, "CPU per read, provider against baseline"); m.Status != StatusInfo || math.Abs(m.Value-1.0/3) > 1e-9 {
		t.Errorf("CPU change: %+v", m)
	}
	slower := []RunRecord{run(scOverhead, "", 0.9, 0.9, 0, 40, RequestStats{})} // 3.5 ms: +16.7%
	if m := find(t, OverheadBaselineMetrics(200, none, slower, none, base), "wall per read, provider against baseline"); m.Status != StatusMissed {
		t.Errorf("+16.7%%: %+v", m)
	}
	if m := find(t, OverheadBaselineMetrics(200, none, slower, none, none), "wall per read, provider against baseline"); m.Status != StatusNA {
		t.Errorf("a baseline of no cost: %+v", m)
	}
}

func TestOverlapBaselineMetrics(t *testing.T) {
	ok := RequestStats{Requests: 200, OK: 200}
	withL := []RunRecord{run(scOverlap, "", 2.0, 1, 0, 40, ok)}
	without := []RunRecord{run(scOverlap, "", 1.0, 1, 0, 40, ok)}
	withLBase := []RunRecord{run(scOverlap, "", 1.6, 1, 0, 40, ok)}
	withoutBase := []RunRecord{run(scOverlap, "", 0.8, 1, 0, 40, ok)}
	ms := OverlapBaselineMetrics(200, 10, 50*time.Millisecond, withL, without, withLBase, withoutBase)
	if m := find(t, ms, "efficiency, baseline"); math.Abs(m.Value-1.25) > 1e-9 {
		t.Errorf("baseline efficiency 1 s / 0.8 s: %+v", m)
	}
	if m := find(t, ms, "plan wall_L, provider / baseline"); math.Abs(m.Value-1.25) > 1e-9 || m.Ideal != "1.00" {
		t.Errorf("ratio: %+v", m)
	}
}

func TestSortMetricsAndIdealColumn(t *testing.T) {
	ms := []Metric{
		{Scenario: scAudit, Name: "a"}, {Scenario: "go bench provider", Name: "g"}, {Scenario: scOverlap, Name: "o"},
		{Scenario: scAudit, Name: "conversion", Display: "25.0 ms", Ideal: "x", Target: "< 300.0 ms", Status: StatusOK}, {Scenario: scFlowAudit, Name: "f"},
	}
	SortMetrics(ms)
	var order []string
	for _, m := range ms {
		order = append(order, m.Name)
	}
	if strings.Join(order, ",") != "o,a,conversion,f,g" {
		t.Errorf("order = %v", order)
	}
	r := &Report{Metrics: ms, Complete: true}
	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\s+conversion\s+25\.0 ms\s+x\s+< 300\.0 ms\s+ok$`)
	if out := buf.String(); !strings.Contains(out, "VALUE    IDEAL  TARGET") || !row.MatchString(out) {
		t.Errorf("table:\n%s", out)
	}
}

func TestFailureNotes(t *testing.T) {
	runs := []RunRecord{
		{Scenario: scFlowReads, Label: "Q=5", Rep: 1, ExitCode: 0},
		{Scenario: scFlowReads, Label: "Q=15", Rep: 1, ExitCode: 1, Failure: "Smartag API error Throttling.User"},
		{Scenario: scFlowAudit, Label: "audit", Rep: 1, ExitCode: -1, TimedOut: true, WallS: 250},
		{Scenario: scAudit, Label: "audit", Rep: 2, ExitCode: 2},
	}
	got := strings.Join(FailureNotes(runs), "\n")
	want := "Failed: [6 flow control, single reads] Q=15, run 1: Smartag API error Throttling.User\n" +
		"Failed: [7 flow control, audit] audit, run 1: stopped by the harness after 250.00 s.\n" +
		"Failed: [5 audit] audit, run 2: exit status 2"
	if got != want {
		t.Errorf("notes:\n%s\nwant\n%s", got, want)
	}
}

func TestThrottlingBaselineMetrics(t *testing.T) {
	runs := []RunRecord{flowRun(5.5, 200, 90), flowRun(5.3, 200, 85)}
	base := []RunRecord{flowRun(7, 200, 86), flowRun(6.8, 200, 88)}
	failed := flowRun(9, 198, 100)
	failed.ExitCode = 1
	ms := ThrottlingBaselineMetrics(200, runs, append(base, failed))
	if m := find(t, ms, "reads that failed, baseline"); m.Value != 2 || m.Status != StatusInfo {
		t.Errorf("baseline failures are information, not a target of this provider: %+v", m)
	}
	if m := find(t, ms, "plan wall, baseline"); m.Value != 6900 {
		t.Errorf("baseline wall over its successful plans: %+v", m)
	}
	if m := find(t, ms, "plan wall, provider / baseline"); math.Abs(m.Value-5.4/6.9) > 1e-9 {
		t.Errorf("ratio: %+v", m)
	}
}
