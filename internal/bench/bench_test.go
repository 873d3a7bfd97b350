package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

func TestBuildFixture(t *testing.T) {
	f, err := BuildFixture(5, 300)
	if err != nil {
		t.Fatal(err)
	}
	// The mock's own strict parser accepts what WriteFixture writes.
	path := filepath.Join(t.TempDir(), "fixture.json")
	if err := WriteFixture(path, f); err != nil {
		t.Fatal(err)
	}
	loaded, err := smartagmock.LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	users := loaded.Instances[0].Users
	if len(users) != 6 {
		t.Fatalf("%d users, want 5 + the big one", len(users))
	}
	for i := range 5 {
		if users[i].UserName != UserName(i) || len(users[i].Clients) != ClientsOf(i) {
			t.Errorf("user %d: %s with %d clients, want %s with %d", i, users[i].UserName, len(users[i].Clients), UserName(i), ClientsOf(i))
		}
	}
	if users[5].UserName != BigUser || len(users[5].Clients) != 300 {
		t.Errorf("last user %s with %d clients, want %s with 300", users[5].UserName, len(users[5].Clients), BigUser)
	}
	if _, err := BuildFixture(-1, 1); err == nil {
		t.Error("negative size accepted")
	}
}

func TestBuildFixtureLarge(t *testing.T) {
	// Every client IP is valid and distinct at the default sizes.
	f, err := BuildFixture(1000, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range f.Instances[0].Users {
		seen := map[string]bool{}
		for _, c := range u.Clients {
			if seen[c.ClientIP] {
				t.Fatalf("user %s: client IP %s twice", u.UserName, c.ClientIP)
			}
			seen[c.ClientIP] = true
		}
	}
}

func TestGenerateConfig(t *testing.T) {
	text, err := GenerateConfig(ConfigSpec{Users: UserNames(3), MaxRetries: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`source = "opensmartag/smartag"`,
		`variable "endpoint"`,
		`endpoint   = var.endpoint`,
		`access_key = "` + AccessKeyID + `"`,
		`secret_key = "` + AccessKeySecret + `"`,
		`region     = "cn-shanghai"`,
		`max_retries = 10`,
		`users = ["user00000","user00001","user00002"]`,
		`data "smartag_user_online_clients" "u" {`,
		`count      = length(local.users)`,
		`smartag_id = "` + SmartAGID + `"`,
		`user_name  = local.users[count.index]`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("config lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "terraform_remote_state") {
		t.Error("unexpected terraform_remote_state")
	}
	if strings.Count(text, "{") != strings.Count(text, "}") {
		t.Errorf("unbalanced braces:\n%s", text)
	}
}

func TestGenerateConfigNoneAndRemoteState(t *testing.T) {
	none, err := GenerateConfig(ConfigSpec{MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(none, "data ") || strings.Contains(none, "max_retries") || !strings.Contains(none, `provider "smartag"`) {
		t.Errorf("no-data-source config:\n%s", none)
	}
	remote, err := GenerateConfig(ConfigSpec{RemoteStates: 7, RemoteStatePath: "/tmp/x y/tiny.tfstate", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data "terraform_remote_state" "r" {`, "count   = 7", `backend = "local"`, `path = "/tmp/x y/tiny.tfstate"`} {
		if !strings.Contains(remote, want) {
			t.Errorf("remote-state config lacks %q:\n%s", want, remote)
		}
	}
	// The provider block is the same in every configuration.
	if !strings.HasPrefix(remote, none) {
		t.Error("the remote-state config does not start with the same blocks as the empty one")
	}
}

func TestGenerateConfigRefuses(t *testing.T) {
	for _, spec := range []ConfigSpec{
		{Users: []string{`a"b`}},
		{Users: []string{"${x}"}},
		{Users: []string{""}},
		{RemoteStates: 1},
		{RemoteStates: 1, RemoteStatePath: "/tmp/${x}"},
	} {
		if _, err := GenerateConfig(spec); err == nil {
			t.Errorf("%+v accepted", spec)
		}
	}
}

func TestTinyStateIsJSON(t *testing.T) {
	var v map[string]any
	if err := json.Unmarshal([]byte(TinyState), &v); err != nil || v["version"] != float64(4) {
		t.Fatalf("TinyState: %v %v", v, err)
	}
}

func TestEfficiency(t *testing.T) {
	ideal := IdealOverlap(200, 10, 50*time.Millisecond)
	if ideal != time.Second {
		t.Fatalf("ideal = %v, want 1s", ideal)
	}
	for _, c := range []struct {
		wallL, wall0 time.Duration
		want         float64
	}{
		{3 * time.Second, 2 * time.Second, 1},         // perfect overlap
		{12 * time.Second, 2 * time.Second, 0.1},      // serialised: N·L
		{2500 * time.Millisecond, 2 * time.Second, 2}, // latency hides CPU work
		{3111 * time.Millisecond, 2 * time.Second, 0.9},
	} {
		got, err := Efficiency(ideal, c.wallL, c.wall0)
		if err != nil || math.Abs(got-c.want) > 0.001 {
			t.Errorf("Efficiency(%v, %v, %v) = %v, %v; want %v", ideal, c.wallL, c.wall0, got, err, c.want)
		}
	}
	if _, err := Efficiency(ideal, time.Second, 2*time.Second); !errors.Is(err, ErrNoAddedTime) {
		t.Errorf("wall_L < wall_0: err = %v", err)
	}
	if _, err := Efficiency(ideal, time.Second, time.Second); !errors.Is(err, ErrNoAddedTime) {
		t.Errorf("wall_L = wall_0: err = %v", err)
	}
	if IdealOverlap(5, 0, time.Second) != 0 {
		t.Error("parallelism 0")
	}
}

func TestMedianAndPerItem(t *testing.T) {
	if got := Median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("odd median = %v", got)
	}
	if got := Median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("even median = %v", got)
	}
	if got := Median[int](nil); got != 0 {
		t.Errorf("empty median = %v", got)
	}
	xs := []int64{3, 1, 2}
	Median(xs)
	if xs[0] != 3 {
		t.Error("Median sorted its argument")
	}
	if got := PerItem(3*time.Second, time.Second, 200); got != 10*time.Millisecond {
		t.Errorf("PerItem = %v", got)
	}
	if PerItem(time.Second, 0, 0) != 0 {
		t.Error("PerItem with n = 0")
	}
}

const sampleStatus = `Name:	terraform-provi
Umask:	0022
State:	S (sleeping)
Tgid:	4242
VmPeak:	 1290012 kB
VmSize:	 1289948 kB
VmHWM:	   43212 kB
VmRSS:	   40100 kB
Threads:	9
`

func TestParseVmHWM(t *testing.T) {
	got, err := ParseVmHWM([]byte(sampleStatus))
	if err != nil || got != 43212 {
		t.Fatalf("ParseVmHWM = %d, %v; want 43212", got, err)
	}
	if _, err := ParseVmHWM([]byte("Name:\tkthreadd\nState:\tS\n")); err == nil {
		t.Error("no VmHWM line: no error")
	}
	if _, err := ParseVmHWM([]byte("VmHWM:\t 12 MB\n")); err == nil {
		t.Error("unexpected unit: no error")
	}
}

func TestParseStatCPU(t *testing.T) {
	// Field 2 may hold spaces and parentheses; utime=150, stime=25 ticks.
	stat := "4242 (terraform-provider-smartag (x) y) S 1 4242 4242 0 -1 4194560 3071 0 0 0 150 25 0 0 20 0 9 0 123456 1289948 10025 18446744073709551615"
	got, err := ParseStatCPU([]byte(stat))
	if err != nil || got != 1750*time.Millisecond {
		t.Fatalf("ParseStatCPU = %v, %v; want 1.75s", got, err)
	}
	for _, bad := range []string{"4242 no paren", "4242 (x) S 1 2", "4242 (x) S 1 2 3 4 5 6 7 8 9 10 a 25"} {
		if _, err := ParseStatCPU([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestProcSamplerSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewProcSampler(exe, 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	time.Sleep(20 * time.Millisecond)
	st := s.Stop()
	found := false
	for _, pid := range st.PIDs {
		found = found || pid == os.Getpid()
	}
	if !found || st.PeakRSSKiB <= 0 {
		t.Fatalf("the sampler did not see this test process: %+v", st)
	}
	if alive := s.Alive([]int{os.Getpid()}); len(alive) != 1 {
		t.Errorf("Alive(self) = %v", alive)
	}
}

func TestParseListenLine(t *testing.T) {
	got, err := ParseListenLine("smartag-mock listening on http://127.0.0.1:43121")
	if err != nil || got != "http://127.0.0.1:43121" {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, bad := range []string{"", "smartag-mock listening on https://127.0.0.1:1", "listening on http://127.0.0.1:1", "smartag-mock listening on http://10.0.0.1:80"} {
		if _, err := ParseListenLine(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestMockOptionsArgs(t *testing.T) {
	args := strings.Join(MockOptions{Fixture: "f.json", Log: "m.log", Latency: 50 * time.Millisecond, ThrottleRate: 0.3, Seed: 7}.Args(), " ")
	want := "--listen 127.0.0.1:0 --data f.json --log m.log --seed 7 --latency 50ms --throttle-rate 0.3"
	if args != want {
		t.Errorf("args = %q, want %q", args, want)
	}
	if args := strings.Join(MockOptions{Fixture: "f", Log: "l"}.Args(), " "); strings.Contains(args, "latency") || strings.Contains(args, "throttle") {
		t.Errorf("no faults: %q", args)
	}
}

func logLine(end, user string, status int, code string) string {
	b, _ := json.Marshal(map[string]any{
		"time": end, "method": "POST", "action": "DescribeUserOnlineClients", "version": "2018-03-13", "region": "cn-shanghai",
		"smartag_id": SmartAGID, "user_name": user, "access_key_id": AccessKeyID, "status": status, "code": code,
		"request_id": "X", "latency_ms": 50,
	})
	return string(b) + "\n"
}

func TestParseMockLog(t *testing.T) {
	var log strings.Builder
	// a: 0-50ms, b: 10-60ms, c: 50-100ms (touches a's end), throttled c: 100-150ms, c again 150-200ms.
	log.WriteString(logLine("2026-01-01T00:00:00.050Z", "a", 200, ""))
	log.WriteString(logLine("2026-01-01T00:00:00.060Z", "b", 200, ""))
	log.WriteString(logLine("2026-01-01T00:00:00.100Z", "c", 400, "Throttling.User"))
	log.WriteString(`{"time":"2026-01-01T00:00:00.120Z","action":"AssumeRole","status":200,"latency_ms":1}` + "\n")
	log.WriteString("\n")
	log.WriteString(logLine("2026-01-01T00:00:00.200Z", "c", 200, ""))
	log.WriteString(logLine("2026-01-01T00:00:00.250Z", "a", 200, ""))
	st, err := ParseMockLog(strings.NewReader(log.String()))
	if err != nil {
		t.Fatal(err)
	}
	if st.Requests != 5 || st.OK != 4 || st.Throttled != 1 || st.Users != 3 || st.Duplicates != 1 {
		t.Errorf("counts: %+v", st)
	}
	if st.Codes["Throttling.User"] != 1 || len(st.Codes) != 1 {
		t.Errorf("codes: %v", st.Codes)
	}
	if st.Span != 250*time.Millisecond {
		t.Errorf("span = %v, want 250ms", st.Span)
	}
	// a: first arrival 0ms, last answer 250ms; c: 50ms to 200ms.
	if st.SlowestRead != 250*time.Millisecond || st.MostAttempts != 2 {
		t.Errorf("slowest read %v, most attempts %d; want 250ms and 2", st.SlowestRead, st.MostAttempts)
	}
	if st.MaxConcurrent != 2 {
		t.Errorf("max concurrent = %d, want 2", st.MaxConcurrent)
	}
	if len(st.ServerMS) != 4 {
		t.Errorf("server times: %v", st.ServerMS)
	}
	if _, err := ParseMockLog(strings.NewReader("{not json\n")); err == nil {
		t.Error("bad line: no error")
	}
	empty, err := ParseMockLog(strings.NewReader(""))
	if err != nil || empty.Requests != 0 || empty.Span != 0 {
		t.Errorf("empty log: %+v, %v", empty, err)
	}
}

// A real mock log line, as written by the mock's recorder.
func TestParseMockLogRealLine(t *testing.T) {
	line := `{"time":"2026-11-28T12:10:01.430985994Z","method":"POST","action":"DescribeUserOnlineClients","version":"2018-03-13","region":"cn-shanghai","smartag_id":"sag-bench0001","user_name":"big","access_key_id":"LTAIMockSampleKeyId01","status":200,"code":"","request_id":"52FDFC07-2182-654F-163F-5F0F9A621D72","latency_ms":6.29}`
	st, err := ParseMockLog(strings.NewReader(line))
	if err != nil || st.OK != 1 || st.ServerMS[0] != 6.29 {
		t.Fatalf("%+v, %v", st, err)
	}
}

const sampleProviderLog = `2026-11-28T12:10:01.423Z [TRACE] provider.terraform-provider-smartag: Received request: tf_provider_addr=registry.terraform.io/opensmartag/smartag tf_rpc=ReadDataSource @module=sdk.proto
2026-11-28T12:10:01.447Z [DEBUG] provider.terraform-provider-smartag: Smartag request succeeded: endpoint=http://127.0.0.1:39893 region=cn-shanghai tf_rpc=ReadDataSource credential="static access key" latency_ms=23 user_name=big attempt=1
2026-11-28T12:10:01.448Z [DEBUG] provider.terraform-provider-smartag: read online clients: request_id=52FD tf_rpc=ReadDataSource @module=smartag clients=10000 smartag_id=sag-bench0001 attempts=1
2026-11-28T12:10:01.500Z [TRACE] provider.terraform-provider-smartag: Received downstream response: diagnostic_error_count=0 tf_rpc=ValidateDataResourceConfig tf_req_duration_ms=3 @module=sdk.proto
2026-11-28T12:10:12.722Z [TRACE] provider.terraform-provider-smartag: Received downstream response: diagnostic_error_count=0 tf_rpc=ReadDataSource @module=sdk.proto diagnostic_warning_count=0 tf_req_duration_ms=1298 tf_req_id=4390
2026-11-28T12:10:12.800Z [DEBUG] core: Received downstream response: tf_rpc=ReadDataSource tf_req_duration_ms=77
`

func TestParseProviderLog(t *testing.T) {
	got, err := ParseProviderLog(strings.NewReader(sampleProviderLog))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ReadMS) != 1 || got.ReadMS[0] != 1298 {
		t.Errorf("ReadMS = %v, want [1298]", got.ReadMS)
	}
	if len(got.RequestMS) != 1 || got.RequestMS[0] != 23 {
		t.Errorf("RequestMS = %v, want [23]", got.RequestMS)
	}
	if len(got.Clients) != 1 || got.Clients[0] != 10000 {
		t.Errorf("Clients = %v, want [10000]", got.Clients)
	}
}

const sampleGoBench = `goos: linux
goarch: amd64
pkg: github.com/opensmartag/terraform-provider-smartag/internal/sagclient
cpu: Intel(R) Xeon(R) Processor
BenchmarkDecodeAnswer/users=1-2         	  267429	      4255 ns/op	  28.91 MB/s	    1616 B/op	      15 allocs/op
BenchmarkDecodeAnswer/users=10000-2     	     100	  10298416 ns/op	  52.75 MB/s	 7800160 B/op	   20059 allocs/op
PASS
ok  	github.com/opensmartag/terraform-provider-smartag/internal/sagclient	3.395s
goos: linux
pkg: github.com/opensmartag/terraform-provider-smartag/internal/provider
BenchmarkFillState/clients=10000/fill+set-2             	       2	 556208034 ns/op	93145984 B/op	 1670688 allocs/op
BenchmarkPlain 	 1000	 1.5 ns/op
PASS
`

func TestParseGoBench(t *testing.T) {
	got, err := ParseGoBench(strings.NewReader(sampleGoBench))
	if err != nil {
		t.Fatal(err)
	}
	want := []GoBenchmark{
		{Package: "github.com/opensmartag/terraform-provider-smartag/internal/sagclient", Name: "BenchmarkDecodeAnswer/users=1", Procs: 2,
			Iterations: 267429, NsPerOp: 4255, BytesPerOp: 1616, AllocsPerOp: 15, MBPerSec: 28.91},
		{Package: "github.com/opensmartag/terraform-provider-smartag/internal/sagclient", Name: "BenchmarkDecodeAnswer/users=10000", Procs: 2,
			Iterations: 100, NsPerOp: 10298416, BytesPerOp: 7800160, AllocsPerOp: 20059, MBPerSec: 52.75},
		{Package: "github.com/opensmartag/terraform-provider-smartag/internal/provider", Name: "BenchmarkFillState/clients=10000/fill+set", Procs: 2,
			Iterations: 2, NsPerOp: 556208034, BytesPerOp: 93145984, AllocsPerOp: 1670688},
		{Package: "github.com/opensmartag/terraform-provider-smartag/internal/provider", Name: "BenchmarkPlain", Procs: 1,
			Iterations: 1000, NsPerOp: 1.5},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d results: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	args := strings.Join(GoBenchArgs("2x", 1, GoBenchPackages), " ")
	if args != "test -run=^$ -bench=. -benchmem -count=1 -benchtime=2x ./internal/sagclient ./internal/provider ./internal/flowcontrol" {
		t.Errorf("args = %q", args)
	}
}

func TestTerraformEnv(t *testing.T) {
	env := terraformEnv([]string{
		"PATH=/bin", "HOME=/root", "TF_LOG=TRACE", "TF_CLI_CONFIG_FILE=/x", "ALIBABA_CLOUD_ACCESS_KEY_ID=k",
		"ALICLOUD_REGION=r", "CLIENT_READ_TIMEOUT=1", "CHECKPOINT_DISABLE=", "TFX=keep",
	}, "/cfg.tfrc")
	got := strings.Join(env, " ")
	want := "PATH=/bin HOME=/root TFX=keep TF_CLI_CONFIG_FILE=/cfg.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0"
	if got != want {
		t.Errorf("env:\n got %s\nwant %s", got, want)
	}
}

func run(scenario, label string, wall, cpu, provCPU, rss float64, mock RequestStats) RunRecord {
	return RunRecord{Scenario: scenario, Label: label, WallS: wall, CPUS: cpu, ProviderCPUS: provCPU, ProviderPeakMiB: rss, Mock: &mock}
}

func find(t *testing.T, ms []Metric, prefix string) Metric {
	t.Helper()
	for _, m := range ms {
		if strings.HasPrefix(m.Name, prefix) {
			return m
		}
	}
	t.Fatalf("no metric %q in %+v", prefix, ms)
	return Metric{}
}

func TestOverlapMetrics(t *testing.T) {
	ok := RequestStats{Requests: 200, OK: 200, Span: 1200 * time.Millisecond, MaxConcurrent: 10}
	withL := []RunRecord{run(scOverlap, "L", 3.0, 1, 0.5, 40, ok), run(scOverlap, "L", 3.2, 1, 0.5, 45, ok), run(scOverlap, "L", 9, 1, 0.5, 41, ok)}
	without := []RunRecord{run(scOverlap, "0", 2.0, 1, 0.5, 40, ok), run(scOverlap, "0", 2.1, 1, 0.5, 40, ok), run(scOverlap, "0", 1.9, 1, 0.5, 40, ok)}
	ms := OverlapMetrics(200, 10, 50*time.Millisecond, withL, without)
	if m := find(t, ms, "efficiency"); math.Abs(m.Value-1/1.2) > 1e-9 || m.Status != StatusMissed {
		t.Errorf("efficiency (medians 3.2 and 2.0): %+v", m)
	}
	if m := find(t, ms, "requests"); m.Status != StatusOK || m.Value != 200 {
		t.Errorf("requests: %+v", m)
	}
	if m := find(t, ms, "provider peak RSS"); m.Status != StatusOK || m.Value != 45 {
		t.Errorf("rss: %+v", m)
	}
	if m := find(t, ms, "plan wall, +50ms"); m.Ideal != "3.00 s" {
		t.Errorf("wall_L ideal wall_0 + N·L/P = 2 s + 1 s: %+v", m)
	}
	if m := find(t, ms, "read-phase efficiency"); math.Abs(m.Value-1/1.2) > 1e-9 {
		t.Errorf("read-phase efficiency: %+v", m)
	}

	dup := ok
	dup.Requests = 201
	withL[1] = run(scOverlap, "L", 3.2, 1, 0.5, 70, dup)
	ms = OverlapMetrics(200, 10, 50*time.Millisecond, withL, without)
	if m := find(t, ms, "requests"); m.Status != StatusMissed || m.Display != "200 to 201 over 6 plans" {
		t.Errorf("requests with a duplicate: %+v", m)
	}
	if m := find(t, ms, "provider peak RSS"); m.Status != StatusMissed {
		t.Errorf("rss 70 MiB: %+v", m)
	}
	fast := []RunRecord{run(scOverlap, "L", 1.0, 1, 0.5, 40, ok)}
	if m := find(t, OverlapMetrics(200, 10, 50*time.Millisecond, fast, without), "efficiency"); m.Status != StatusNA {
		t.Errorf("wall_L < wall_0: %+v", m)
	}
}

func TestThrottlingMetrics(t *testing.T) {
	good := RequestStats{Requests: 286, OK: 200, Throttled: 86, SlowestRead: 3 * time.Second, MostAttempts: 5}
	bad := RequestStats{Requests: 290, OK: 199, Throttled: 91}
	runs := []RunRecord{run(scThrottling, "", 5, 1, 1, 40, good), run(scThrottling, "", 6, 1, 1, 40, good)}
	ms := ThrottlingMetrics(200, 0.3, time.Second, runs, 2*time.Second)
	if m := find(t, ms, "reads that failed"); m.Status != StatusOK {
		t.Errorf("failed: %+v", m)
	}
	if m := find(t, ms, "slowest read"); m.Value != 3000 {
		t.Errorf("slowest read: %+v", m)
	}
	if m := find(t, ms, "requests sent again"); m.Value != 86 || m.Ideal != "86" {
		t.Errorf("sent again: %+v", m)
	}
	// 2 s + 1 s × 0.3/0.7.
	if m := find(t, ms, "plan wall"); m.Ideal != "2.43 s" {
		t.Errorf("wall ideal: %+v", m)
	}
	if m := find(t, ms, "against scenario 1"); math.Abs(m.Value-2.75) > 1e-9 || m.Ideal != "×1.21" {
		t.Errorf("ratio: %+v", m)
	}
	failed := run(scThrottling, "", 7, 1, 1, 40, bad)
	failed.ExitCode = 1
	ms = ThrottlingMetrics(200, 0.3, time.Second, append(runs, failed), 2*time.Second)
	if m := find(t, ms, "reads that failed"); m.Status != StatusMissed || m.Value != 1 {
		t.Errorf("failed: %+v", m)
	}
	if m := find(t, ms, "plan wall"); m.Value != 5500 {
		t.Errorf("wall over the successful plans: %+v", m)
	}
}

func TestLargeAndOverheadMetrics(t *testing.T) {
	mk := func(read int64, wall float64, state int64) RunRecord {
		r := run(scLarge, "", wall, 1, 1, 80, RequestStats{Requests: 1, OK: 1, ServerMS: []float64{6}})
		r.ProviderReadMS, r.ProviderReqMS, r.StateBytes = []int64{read}, []int64{25}, state
		return r
	}
	big := []RunRecord{mk(900, 2, 2<<20), mk(1100, 2.5, 2<<20), mk(800, 2.2, 2<<20)}
	one := []RunRecord{mk(5, 0.5, 900), mk(6, 0.5, 900), mk(7, 0.5, 900)}
	ms := LargeMetrics(10000, big, one)
	if m := find(t, ms, "provider time, read of 10000"); m.Value != 900 || m.Status != StatusOK {
		t.Errorf("read: %+v", m)
	}
	if m := find(t, ms, "state size"); m.Display != "2.00 MiB" {
		t.Errorf("state: %+v", m)
	}
	big[0].ProviderReadMS[0], big[2].ProviderReadMS[0] = 1200, 1300
	if m := find(t, LargeMetrics(10000, big, one), "provider time, read of 10000"); m.Status != StatusMissed {
		t.Errorf("1.2 s read: %+v", m)
	}

	none := []RunRecord{run(scOverhead, "", 0.2, 0.1, 0.02, 20, RequestStats{})}
	smartag := []RunRecord{run(scOverhead, "", 1.2, 1.1, 0.62, 40, RequestStats{Requests: 200, OK: 200})}
	remote := []RunRecord{run(scOverhead, "", 0.4, 0.3, 0.02, 20, RequestStats{})}
	ms = OverheadMetrics(200, none, smartag, remote)
	for prefix, want := range map[string]float64{
		"wall per read, smartag": 5, "wall per read, terraform_remote_state": 1, "wall per read the provider adds": 4,
		"CPU per read, smartag": 5, "  of which the provider process": 3,
	} {
		if m := find(t, ms, prefix); math.Abs(m.Value-want) > 1e-6 {
			t.Errorf("%s = %v ms, want %v", prefix, m.Value, want)
		}
	}
}

func TestReportOutput(t *testing.T) {
	r := &Report{
		StartedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Params:    Params{N: 200, Parallelism: 10, LatencyMS: 50, Repeat: 3},
		Metrics: []Metric{
			durationMetric(scOverlap, "wall", time.Second, ""),
			Metric{Scenario: scOverlap, Name: "efficiency", Value: 0.5, Display: "0.50"}.withTarget("≥ 0.9", false),
			goBenchMetric(GoBenchmark{Package: "x/internal/sagclient", Name: "BenchmarkDecodeAnswer/users=1", NsPerOp: 4255, BytesPerOp: 1616, AllocsPerOp: 15}),
		},
		Notes: []string{"a note"},
	}
	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"SCENARIO", "1 overlap", "1.00 s", "MISSED 1 target(s)", "efficiency = 0.50 (target ≥ 0.9)",
		"go bench sagclient", "DecodeAnswer/users=1", "4.3 µs/op, 1.6 KiB/op, 15 allocs/op", "a note"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	dir := t.TempDir()
	path, err := r.WriteJSON(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "bench-20260102T030405Z.json" {
		t.Errorf("path = %s", path)
	}
	a, _ := os.ReadFile(path)
	b, _ := os.ReadFile(filepath.Join(dir, "out", "latest.json"))
	var back Report
	if !bytes.Equal(a, b) || json.Unmarshal(a, &back) != nil || len(back.Metrics) != 3 || back.Metrics[1].Status != StatusMissed {
		t.Errorf("JSON files differ or do not round-trip:\n%s", a)
	}
}

func TestRetriesNote(t *testing.T) {
	if n := retriesNote(10, 0.3, 200); !strings.Contains(n, "max_retries = 10") || !strings.Contains(n, "14%") || !strings.Contains(n, "without counting against max_retries") {
		t.Errorf("note: %s", n)
	}
	if n := retriesNote(-1, 0.3, 200); !strings.Contains(n, "unset") {
		t.Errorf("note: %s", n)
	}
}

func TestReportIncomplete(t *testing.T) {
	r := &Report{Error: "scenario 2 (throttling): interrupted\nmore", Metrics: []Metric{durationMetric(scOverlap, "wall", time.Second, "")}}
	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "INCOMPLETE: scenario 2 (throttling): interrupted\n") || strings.Contains(out, "all targets met") ||
		!strings.Contains(out, "no target missed so far") {
		t.Errorf("incomplete table:\n%s", out)
	}
}

func TestMedianBenchmarks(t *testing.T) {
	res := []GoBenchmark{
		{Package: "p", Name: "BenchmarkA", NsPerOp: 30, BytesPerOp: 8, AllocsPerOp: 1, Iterations: 10},
		{Package: "p", Name: "BenchmarkB", NsPerOp: 5},
		{Package: "p", Name: "BenchmarkA", NsPerOp: 10, BytesPerOp: 8, AllocsPerOp: 1, Iterations: 30},
		{Package: "p", Name: "BenchmarkA", NsPerOp: 20, BytesPerOp: 16, AllocsPerOp: 2, Iterations: 20},
		{Package: "q", Name: "BenchmarkA", NsPerOp: 1},
	}
	got := MedianBenchmarks(res)
	want := []GoBenchmark{
		{Package: "p", Name: "BenchmarkA", NsPerOp: 20, BytesPerOp: 8, AllocsPerOp: 1, Iterations: 20},
		{Package: "p", Name: "BenchmarkB", NsPerOp: 5},
		{Package: "q", Name: "BenchmarkA", NsPerOp: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
