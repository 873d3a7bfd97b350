package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"

	"github.com/opensmartag/terraform-provider-smartag/internal/testutil"
)

// started runs the command in the background and waits for its first line.
type started struct {
	url    string
	stdout *testutil.LockedBuffer
	stderr *testutil.LockedBuffer
	cancel context.CancelFunc
	code   chan int
}

func startRun(t *testing.T, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &started{stdout: &testutil.LockedBuffer{}, stderr: &testutil.LockedBuffer{}, cancel: cancel, code: make(chan int, 1)}
	go func() { s.code <- run(ctx, args, s.stdout, s.stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := s.stdout.String()
		if first, _, ok := strings.Cut(out, "\n"); ok {
			const prefix = "smartag-mock listening on "
			if !strings.HasPrefix(first, prefix) {
				t.Fatalf("first line %q", first)
			}
			s.url = strings.TrimPrefix(first, prefix)
			break
		}
		select {
		case code := <-s.code:
			t.Fatalf("run exited %d before listening: %s", code, s.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no first line")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *started) stop(t *testing.T) int {
	s.cancel()
	select {
	case code := <-s.code:
		s.code <- code // later calls see it too
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
		return -1
	}
}

// signedQuery builds a signed DescribeUserOnlineClients GET query.
func signedQuery(user string) string {
	return signedAction("DescribeUserOnlineClients", map[string]string{"SmartAGId": smartagmock.SampleInstanceID, "UserName": user})
}

// signedAction builds a signed GET query for any Smartag action.
func signedAction(action string, extra map[string]string) string {
	p := map[string]string{
		"Action": action, "Version": "2018-03-13", "Format": "JSON",
		"AccessKeyId": smartagmock.SampleAccessKeyID, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
		"SignatureNonce": fmt.Sprint(time.Now().UnixNano()), "Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"RegionId": smartagmock.SampleRegion,
	}
	for k, v := range extra {
		p[k] = v
	}
	enc := func(s string) string {
		return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = enc(k) + "=" + enc(p[k])
	}
	canonical := strings.Join(parts, "&")
	mac := hmac.New(sha1.New, []byte(smartagmock.SampleAccessKeySecret+"&"))
	mac.Write([]byte("GET&%2F&" + enc(canonical)))
	return canonical + "&Signature=" + enc(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
}

func TestRunServesAndStops(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "requests.log")
	s := startRun(t, "--listen", "127.0.0.1:0", "--log", logPath, "--seed", "3")
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Fatalf("url %q", s.url)
	}
	// No --data: the sample's credentials and users follow the first line.
	for _, want := range []string{smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret, smartagmock.SampleInstanceID, "alice", "erin"} {
		if !strings.Contains(s.stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, s.stdout.String())
		}
	}
	resp, err := http.Get(s.url + "/?" + signedQuery("alice"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Users struct{ User []map[string]string } `json:"Users"`
	}
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(doc.Users.User) != 3 {
		t.Fatalf("status %d, %v, %+v", resp.StatusCode, err, doc)
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("exit %d: %s", code, s.stderr.String())
	}
	logData, err := os.ReadFile(logPath)
	if err != nil || !strings.Contains(string(logData), `"action":"DescribeUserOnlineClients"`) {
		t.Fatalf("log: %v %s", err, logData)
	}
	if strings.Contains(string(logData), "Signature") || strings.Contains(string(logData), smartagmock.SampleAccessKeySecret) {
		t.Fatalf("log leaks: %s", logData)
	}
}

func TestRunWithDataAndFaults(t *testing.T) {
	data, err := json.Marshal(smartagmock.SampleFixture())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fixture.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s := startRun(t, "--data", path, "--fail-first", "1", "--fail-first-code", "InternalError")
	if strings.Contains(s.stdout.String(), smartagmock.SampleAccessKeySecret) {
		t.Fatal("--data given, yet the sample was printed")
	}
	for i, want := range []int{500, 200} {
		resp, err := http.Get(s.url + "/?" + signedQuery("bob"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("request %d: status %d, want %d", i, resp.StatusCode, want)
		}
	}
}

func TestRunTLSWritesCert(t *testing.T) {
	certPath := filepath.Join(t.TempDir(), "mock.pem")
	s := startRun(t, "--tls", "--cert-out", certPath)
	if !strings.HasPrefix(s.url, "https://127.0.0.1:") {
		t.Fatalf("url %q", s.url)
	}
	pemData, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		t.Fatal("cert-out is not a PEM certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(s.url + "/?" + signedQuery("carol"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestRunRefusals(t *testing.T) {
	dir := t.TempDir()
	clash := filepath.Join(dir, "clash.json")
	fx := smartagmock.SampleFixture()
	fx.Instances[0].SmartAGID = smartagmock.GeneratedInstanceID
	clashData, err := json.Marshal(fx)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(clash, clashData, 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(`{"credentials":[{"access_key_id":"a","access_key_secret":""}],"instances":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"non-loopback", []string{"--listen", "0.0.0.0:0"}, "--allow-non-loopback"},
		{"all interfaces", []string{"--listen", ":0"}, "non-loopback"},
		{"broken data", []string{"--data", broken}, "credentials[0].access_key_secret"},
		{"missing data", []string{"--data", filepath.Join(dir, "nope.json")}, "nope.json"},
		{"bad rate", []string{"--throttle-rate", "2"}, "throttle rate"},
		{"bad fail-first code", []string{"--fail-first-code", "Nope"}, "fail-first code"},
		{"bad malformed", []string{"--malformed", "xml"}, "malformed"},
		{"bad listing fault", []string{"--listing-fault", "sometimes"}, "listing fault"},
		{"negative empty entries", []string{"--empty-entries", "-3"}, "empty entries"},
		{"cert-out without tls", []string{"--cert-out", filepath.Join(dir, "c.pem")}, "--tls"},
		{"unknown flag", []string{"--frobnicate"}, "frobnicate"},
		{"stray argument", []string{"extra"}, "unexpected arguments"},
		{"negative rate limit", []string{"--rate-limit", "-1"}, "rate limit"},
		{"too many generated users", []string{"--generate-users", "1000001"}, "generated users"},
		{"generated instance already in data", []string{"--data", clash, "--generate-users", "1"}, smartagmock.GeneratedInstanceID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q, want 2 and %q", code, stderr.String(), tc.want)
			}
			if strings.Contains(stdout.String(), "listening") {
				t.Fatal("listened despite the error")
			}
		})
	}
}

func TestRunAllowNonLoopback(t *testing.T) {
	if err := checkListen("0.0.0.0:0", true); err != nil {
		t.Fatal(err)
	}
	for _, ok := range []string{"127.0.0.1:0", "[::1]:0", "localhost:8080", "127.1.2.3:9"} {
		if err := checkListen(ok, false); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestRunHelpListsFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, flag := range []string{"listen", "data", "allow-non-loopback", "tls", "cert-out", "latency", "jitter",
		"throttle-rate", "unavailable-rate", "internal-error-rate", "fail-first", "fail-first-code", "malformed",
		"malformed-rate", "seed", "log", "rate-limit", "generate-users", "online-every", "sts-redirect",
		"listing-fault", "listing-fault-times", "empty-entries"} {
		if !strings.Contains(stdout.String(), "-"+flag+" ") && !strings.Contains(stdout.String(), "-"+flag+"\n") {
			t.Errorf("--help does not list --%s:\n%s", flag, stdout.String())
		}
	}
	for _, action := range smartagmock.SmartagActions() {
		if !strings.Contains(stdout.String(), action) {
			t.Errorf("--help does not name the action %s:\n%s", action, stdout.String())
		}
	}
}

func TestRunGeneratedInstanceAndRateLimit(t *testing.T) {
	s := startRun(t, "--generate-users", "250", "--online-every", "5", "--rate-limit", "2")
	out := s.stdout.String()
	for _, want := range []string{"frank", "disabled", smartagmock.GeneratedInstanceID + " region=cn-shanghai generated users=250 online-every=5"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	get := func(query string) (int, map[string]any) {
		resp, err := http.Get(s.url + "/?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var doc map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, doc
	}
	code, doc := get(signedAction("DescribeSmartAccessGatewayClientUsers", map[string]string{"SmartAGId": smartagmock.GeneratedInstanceID}))
	if code != 200 || doc["TotalCount"] != float64(250) {
		t.Fatalf("client users: %d %v", code, doc)
	}
	code, doc = get(signedAction("DescribeUserOnlineClientStatistics", map[string]string{
		"SmartAGId": smartagmock.GeneratedInstanceID, "UserNames.1": "user00005", "UserNames.2": "user00006",
	}))
	if code != 200 || !strings.Contains(fmt.Sprint(doc), "OnlineCount:1 UserName:user00005") || !strings.Contains(fmt.Sprint(doc), "OnlineCount:0 UserName:user00006") {
		t.Fatalf("statistics: %d %v", code, doc)
	}
	// A burst of 30 requests against 2 per second: some are refused (unless
	// every request took half a second).
	refused := 0
	for i := 0; i < 30; i++ {
		code, doc := get(signedAction("DescribeSmartAccessGateways", nil))
		if code == 400 && doc["Code"] == "Throttling.User" {
			refused++
		} else if code != 200 {
			t.Fatalf("burst request %d: %d %v", i, code, doc)
		}
	}
	if refused == 0 {
		t.Fatal("--rate-limit 2 refused none of 30 requests")
	}
}

func TestFlagsToOptions(t *testing.T) {
	var stdout, stderr bytes.Buffer
	cfg, _, done := parseArgs([]string{"--rate-limit", "7", "--generate-users", "12", "--latency", "30ms"}, &stdout, &stderr)
	if done {
		t.Fatalf("parse: %s", stderr.String())
	}
	opts := cfg.options(nil)
	if opts.RateLimit != 7 || opts.GenerateUsers != 12 || opts.OnlineEvery != smartagmock.DefaultOnlineEvery || opts.Faults.Latency != 30*time.Millisecond {
		t.Fatalf("options %+v", opts)
	}
	cfg, _, _ = parseArgs([]string{"--sts-redirect", "http://127.0.0.1:9/"}, &stdout, &stderr)
	if got := cfg.options(nil).STSRedirect; got != "http://127.0.0.1:9/" {
		t.Fatalf("--sts-redirect gave STSRedirect %q", got)
	}
	cfg, _, _ = parseArgs([]string{"--listing-fault", "repeat-page", "--listing-fault-times", "1", "--empty-entries", "9"}, &stdout, &stderr)
	if f := cfg.options(nil).Faults; f.Listing != smartagmock.ListingRepeatPage || f.ListingTimes != 1 || f.EmptyEntries != 9 {
		t.Fatalf("listing flags gave %+v", f)
	}
	cfg, _, _ = parseArgs([]string{"--online-every", "0"}, &stdout, &stderr)
	if got := cfg.options(nil).OnlineEvery; got >= 0 {
		t.Fatalf("--online-every 0 gave OnlineEvery %d, want negative (nobody online)", got)
	}
}
