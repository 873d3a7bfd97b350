package smartagmock

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/testutil"
)

func TestCountsRequestsAndReset(t *testing.T) {
	s := startServer(t, Options{})
	describeAs(t, s, "alice").wantOnline(t)
	describeAs(t, s, "alice").wantOnline(t)
	rawCall{params: describeParams(t, "sag-nope", "alice"), secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, 400, "SAG.InstanceNoFound")
	assumeRoleCall(t, time.Now(), SampleAccessKeyID, SampleAccessKeySecret, map[string]string{"RoleArn": SampleRoleARN, "RoleSessionName": "s1"}).do(t, s.URL)
	p := describeParams(t, SampleInstanceID, "alice")
	p["Action"] = "Bogus"
	rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)

	if got := s.Count("DescribeUserOnlineClients"); got != 3 {
		t.Fatalf("Count(Describe) = %d", got)
	}
	if got := s.Count("AssumeRole"); got != 1 {
		t.Fatalf("Count(AssumeRole) = %d", got)
	}
	if got := s.Count("Bogus"); got != 1 {
		t.Fatalf("Count(Bogus) = %d", got)
	}
	if got := s.CountFor(SampleInstanceID, "alice"); got != 2 {
		t.Fatalf("CountFor = %d", got)
	}
	reqs := s.Requests()
	if len(reqs) != 5 {
		t.Fatalf("%d recorded requests", len(reqs))
	}
	first := reqs[0]
	if first.Method != "POST" || first.Action != "DescribeUserOnlineClients" || first.Status != 200 || first.Code != "" ||
		first.RequestID == "" || first.Params["UserName"] != "alice" || first.Params["Signature"] != "" {
		t.Fatalf("first record: %+v", first)
	}
	if reqs[2].Code != "SAG.InstanceNoFound" || reqs[2].Status != 400 || reqs[4].Code != "InvalidAction.NotFound" {
		t.Fatalf("records: %+v", reqs)
	}
	// Copies: changing them does not change the handler's.
	reqs[0].Params["UserName"] = "mallory"
	if s.Requests()[0].Params["UserName"] != "alice" {
		t.Fatal("Requests returned shared maps")
	}

	s.Reset()
	if s.Count("DescribeUserOnlineClients") != 0 || s.CountFor(SampleInstanceID, "alice") != 0 || len(s.Requests()) != 0 {
		t.Fatal("Reset left counters or records")
	}
}

func TestRecordRingKeepsLast1000(t *testing.T) {
	h, err := NewHandler(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < maxRecorded+5; i++ {
		r := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/?Action=Probe&N=%d", i), nil)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	reqs := h.Requests()
	if len(reqs) != maxRecorded || reqs[0].Params["N"] != "5" || reqs[len(reqs)-1].Params["N"] != fmt.Sprint(maxRecorded+4) {
		t.Fatalf("ring: len %d first %v last %v", len(reqs), reqs[0].Params["N"], reqs[len(reqs)-1].Params["N"])
	}
	if h.Count("Probe") != maxRecorded+5 {
		t.Fatalf("Count(Probe) = %d", h.Count("Probe"))
	}
}

func TestNoSecretsInRecordsOrLog(t *testing.T) {
	var logBuf testutil.LockedBuffer
	s := startServer(t, Options{Log: &logBuf})

	var signatures []string
	send := func(c rawCall) {
		c.params["Signature"] = testSign(http.MethodPost, c.params, c.secret)
		signatures = append(signatures, c.params["Signature"])
		c.noSign = true
		c.do(t, s.URL)
	}
	p := describeParams(t, SampleInstanceID, "alice")
	p["AccessKeyId"], p["SecurityToken"] = SampleStsAccessKeyID, SampleStsSecurityToken
	send(rawCall{params: p, secret: SampleStsAccessKeySecret})
	p = describeParams(t, SampleInstanceID, "bob")
	send(rawCall{params: p, secret: SampleAccessKeySecret})
	p = describeParams(t, SampleInstanceID, "bob")
	p["SecurityToken"] = SampleStsSecurityToken // refused, still must not leak
	send(rawCall{params: p, secret: SampleAccessKeySecret})

	// An issued STS credential, used once.
	a := assumeRoleCall(t, time.Now(), SampleAccessKeyID, SampleAccessKeySecret, map[string]string{"RoleArn": SampleRoleARN, "RoleSessionName": "s1"}).do(t, s.URL)
	var ans assumeAnswer
	if err := json.Unmarshal(a.body, &ans); err != nil {
		t.Fatal(err)
	}
	p = describeParams(t, SampleInstanceID, "alice")
	p["AccessKeyId"], p["SecurityToken"] = ans.Credentials.AccessKeyID, ans.Credentials.SecurityToken
	send(rawCall{params: p, secret: ans.Credentials.AccessKeySecret})

	records := fmt.Sprintf("%+v", s.Requests())
	logText := logBuf.String()
	forbidden := append([]string{SampleAccessKeySecret, SampleStsAccessKeySecret, SampleStsSecurityToken,
		ans.Credentials.AccessKeySecret, ans.Credentials.SecurityToken}, signatures...)
	for _, secret := range forbidden {
		if strings.Contains(records, secret) {
			t.Errorf("Requests() contains %q", secret)
		}
		if strings.Contains(logText, secret) {
			t.Errorf("log contains %q", secret)
		}
	}
	if !strings.Contains(records, "SecurityToken:<redacted>") {
		t.Errorf("SecurityToken not shown as redacted: %s", records)
	}

	// One JSON line per request with the documented fields.
	sc := bufio.NewScanner(strings.NewReader(logText))
	lines := 0
	for sc.Scan() {
		lines++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, sc.Text())
		}
		for _, k := range []string{"time", "method", "action", "version", "region", "smartag_id", "user_name", "access_key_id", "status", "code", "request_id", "latency_ms"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("log line lacks %q: %s", k, sc.Text())
			}
		}
	}
	if lines != 5 {
		t.Fatalf("%d log lines, want 5", lines)
	}
}
