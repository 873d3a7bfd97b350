package smartagmock

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestMain keeps the tests hermetic: no proxy may capture loopback traffic.
func TestMain(m *testing.M) {
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"} {
		os.Unsetenv(k)
	}
	os.Exit(m.Run())
}

// rfc3986 is the test's own encoder, written the way the SDK does it
// (QueryEscape then fix-ups) so it checks the mock's byte-wise encoder.
func rfc3986(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	e = strings.ReplaceAll(e, "%7E", "~")
	return e
}

// testSign is an independent signature v1.0 implementation.
func testSign(method string, params map[string]string, secret string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = rfc3986(k) + "=" + rfc3986(params[k])
	}
	toSign := method + "&%2F&" + rfc3986(strings.Join(parts, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func nonce(t testing.TB) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

// baseParams are the common parameters of a well-formed request.
func baseParams(t testing.TB, action, version, akid string, at time.Time) map[string]string {
	return map[string]string{
		"Action":           action,
		"Version":          version,
		"Format":           "JSON",
		"AccessKeyId":      akid,
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureVersion": "1.0",
		"SignatureNonce":   nonce(t),
		"Timestamp":        at.UTC().Format("2006-01-02T15:04:05Z"),
	}
}

// describeParams is a signed-ready DescribeUserOnlineClients for the sample key.
func describeParams(t testing.TB, smartagID, user string) map[string]string {
	p := baseParams(t, "DescribeUserOnlineClients", "2018-03-13", SampleAccessKeyID, time.Now())
	p["RegionId"] = SampleRegion
	p["SmartAGId"] = smartagID
	p["UserName"] = user
	return p
}

// rawCall is one hand-made request.
type rawCall struct {
	method  string            // default POST
	params  map[string]string // sent as given
	secret  string            // signs with it unless noSign
	noSign  bool
	inBody  bool              // POST: parameters in a form body, not the query
	form    map[string]string // extra parameters for the form body, signed with the query (SDK STS style)
	plus    bool              // spaces as '+' (Go SDK style) instead of %20
	headers map[string]string
}

type rawAnswer struct {
	status int
	header http.Header
	body   []byte
}

// errDoc is the error document as a client decodes it.
type errDoc struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
}

func encodeParams(params map[string]string, plus bool) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		if plus {
			parts[i] = url.QueryEscape(k) + "=" + url.QueryEscape(params[k])
		} else {
			parts[i] = rfc3986(k) + "=" + rfc3986(params[k])
		}
	}
	return strings.Join(parts, "&")
}

func (rc rawCall) do(t testing.TB, baseURL string) rawAnswer {
	t.Helper()
	method := rc.method
	if method == "" {
		method = http.MethodPost
	}
	params := make(map[string]string, len(rc.params)+1)
	for k, v := range rc.params {
		params[k] = v
	}
	if !rc.noSign {
		all := make(map[string]string, len(params)+len(rc.form))
		for k, v := range params {
			all[k] = v
		}
		for k, v := range rc.form {
			all[k] = v
		}
		params["Signature"] = testSign(method, all, rc.secret)
	}
	target := baseURL + "/"
	var body io.Reader
	switch {
	case rc.inBody:
		body = strings.NewReader(encodeParams(params, rc.plus))
	case rc.form != nil:
		target += "?" + encodeParams(params, rc.plus)
		body = strings.NewReader(encodeParams(rc.form, true))
	default:
		target += "?" + encodeParams(params, rc.plus)
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range rc.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("send request: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	return rawAnswer{status: resp.StatusCode, header: resp.Header, body: data}
}

// wantError asserts status and code of a JSON error answer.
func (a rawAnswer) wantError(t testing.TB, status int, code string) errDoc {
	t.Helper()
	var d errDoc
	if err := json.Unmarshal(a.body, &d); err != nil {
		t.Fatalf("answer is not a JSON error document: %v\n%s", err, a.body)
	}
	if a.status != status || d.Code != code {
		t.Fatalf("got %d %s (%s), want %d %s", a.status, d.Code, d.Message, status, code)
	}
	if d.RequestID == "" || d.HostID == "" || d.Message == "" {
		t.Fatalf("error document lacks RequestId/HostId/Message: %s", a.body)
	}
	return d
}

// onlineDoc is the success document as a client decodes it.
type onlineDoc struct {
	RequestID string `json:"RequestId"`
	Users     struct {
		User []struct {
			OnlineTime string `json:"OnlineTime"`
			ClientIP   string `json:"ClientIp"`
		} `json:"User"`
	} `json:"Users"`
}

func (a rawAnswer) wantOnline(t testing.TB) onlineDoc {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", a.status, a.body)
	}
	var d onlineDoc
	if err := json.Unmarshal(a.body, &d); err != nil {
		t.Fatalf("decode success: %v\n%s", err, a.body)
	}
	return d
}

// startServer starts a mock for the test. Without a fixture it serves the
// sample pinned at SampleReferenceTime, so online times are the historical
// constants the tests compare with.
func startServer(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Fixture == nil {
		opts.Fixture = SampleFixtureAt(SampleReferenceTime)
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}
