package sagclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

// The fuzz targets and hostile-answer tests below feed answers to the client
// without a network: the client's own *http.Transport gets an in-memory
// RoundTripper for the "http" scheme (http.Transport.RegisterProtocol), so an
// answer goes through exactly the production path — DescribeUserOnlineClients,
// the SDK's DoAction and signer, callTransport and its bounded body, the SDK's
// responses.Unmarshal and error parsing, attempt's panic recovery, mapError,
// retry classification and convertUsers — at a few microseconds per answer.

// cannedAnswer is an http.RoundTripper that answers every request with one
// fixed status and body.
type cannedAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a cannedAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	h := a.header
	if h == nil {
		h = http.Header{"Content-Type": {"application/json;charset=utf-8"}}
	}
	return &http.Response{
		Status:        http.StatusText(a.status),
		StatusCode:    a.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(string(a.body))),
		ContentLength: int64(len(a.body)),
		Request:       req,
	}, nil
}

// decodeClient's answer limit, small so that fuzzing reaches it, and its
// endpoint.
const (
	fuzzMaxAnswer = 4096
	fuzzEndpoint  = "127.0.0.1:9" // never dialled: the canned RoundTripper answers
)

// decodeClient is a client with STS credentials, no retries and a small
// answer limit, whose every request is answered by a.
func decodeClient(tb testing.TB, profileDir string, a cannedAnswer) *Client {
	tb.Helper()
	c, err := New(Config{
		Region:     "cn-shanghai",
		Endpoint:   &Endpoint{Scheme: "HTTP", Host: fuzzEndpoint},
		MaxRetries: 0,
		Credentials: CredentialsConfig{
			AccessKeyID:     testKeyID,
			AccessKeySecret: testSecret,
			SecurityToken:   testToken,
			ProfileFile:     filepath.Join(profileDir, "absent.json"),
		},
		MaxAnswerBytes: fuzzMaxAnswer,
		Backoff:        &Backoff{Base: time.Microsecond, Max: time.Microsecond},
	})
	if err != nil {
		tb.Fatal(err)
	}
	c.transport.RegisterProtocol("http", a)
	// A governor of its own: every input of a fuzz run has the same
	// identity, and a throttling answer in one would slow all the others.
	c.gate = &gate{gov: flowcontrol.New(flowcontrol.Options{})}
	return c
}

// decodeAnswer runs one read whose answer is status and body.
func decodeAnswer(tb testing.TB, profileDir string, status int, body []byte) (*DescribeUserOnlineClientsOutput, error) {
	tb.Helper()
	c := decodeClient(tb, profileDir, cannedAnswer{status: status, body: body})
	defer c.transport.CloseIdleConnections()
	// A throttling answer is sent again until the deadline: keep it short.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	return c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
}

// normalizeStatus maps any int onto a status a Go HTTP client can receive:
// three digits, 100 to 999.
func normalizeStatus(status int) int {
	if status >= 100 && status <= 999 {
		return status
	}
	s := status % 900
	if s < 0 {
		s = -s
	}
	return 100 + s
}

// checkAnswer holds for every answer: an output or one of the package's
// typed errors, never a secret in an error text, error texts of bounded
// size, and an output that keeps every client of the answer.
func checkAnswer(t *testing.T, status int, body []byte, out *DescribeUserOnlineClientsOutput, err error) {
	t.Helper()
	if err != nil {
		if out != nil {
			t.Fatalf("both an output and an error: %+v, %v", out, err)
		}
		if !isOurs(err) {
			t.Fatalf("status %d: error of no known type %T: %v", status, err, err)
		}
		msg := err.Error()
		for _, secret := range []string{testSecret, testToken} {
			if strings.Contains(msg, secret) {
				t.Fatalf("the error carries a secret: %s", msg)
			}
		}
		// Everything taken from the body is a bounded snippet.
		if len(msg) > 3000 {
			t.Fatalf("error text of %d bytes: %.300s…", len(msg), msg)
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			if apiErr.StatusCode != status {
				t.Fatalf("APIError status %d, answer status %d", apiErr.StatusCode, status)
			}
			if status >= 200 && status < 300 {
				t.Fatalf("a 2xx answer became an APIError: %v", err)
			}
			for name, v := range map[string]string{"Code": apiErr.Code, "RequestID": apiErr.RequestID} {
				if strings.Contains(v, testToken) || strings.Contains(v, testSecret) {
					t.Fatalf("APIError.%s carries a secret: %q", name, v)
				}
			}
		}
		var decodeErr *DecodeError
		if errors.As(err, &decodeErr) && decodeErr.StatusCode != status {
			t.Fatalf("DecodeError status %d, answer status %d", decodeErr.StatusCode, status)
		}
		return
	}
	if out == nil {
		t.Fatal("neither an output nor an error")
	}
	if status < 200 || status >= 300 {
		t.Fatalf("HTTP %d was taken for success: %+v", status, out)
	}
	if len(body) > fuzzMaxAnswer {
		t.Fatalf("an answer of %d bytes was read past the %d-byte limit", len(body), fuzzMaxAnswer)
	}
	if out.Clients == nil {
		t.Fatal("Clients is nil: the provider needs an empty list")
	}
	if out.Stats.Requests != 1 || out.Region != "cn-shanghai" {
		t.Fatalf("attempts %d, region %q", out.Stats.Requests, out.Region)
	}
	for i, c := range out.Clients {
		if !c.OnlineSince.IsZero() {
			if got, perr := parseOnlineTime(c.OnlineTime); perr != nil || !got.Equal(c.OnlineSince) || c.OnlineSince.Location() != time.UTC {
				t.Fatalf("client %d: OnlineSince %v does not follow from OnlineTime %q", i, c.OnlineSince, c.OnlineTime)
			}
			if c.OnlineSince.Year() > 9999 {
				t.Fatalf("client %d: OnlineSince %v has no RFC 3339 spelling", i, c.OnlineSince)
			}
		}
	}
	// Every odd value draws a warning instead of failing the read.
	want := 0
	for _, c := range out.Clients {
		if _, perr := parseOnlineTime(c.OnlineTime); perr != nil {
			want++
		}
		if _, perr := netip.ParseAddr(c.ClientIP); perr != nil {
			want++
		}
	}
	if len(out.Warnings) != want {
		t.Fatalf("want %d warnings, got %d: %q", want, len(out.Warnings), out.Warnings)
	}
	for _, w := range out.Warnings {
		if !utf8.ValidString(w) && utf8.ValidString(string(body)) {
			t.Fatalf("warning is not valid UTF-8: %q", w)
		}
	}
}

// decodeSeeds are answers real endpoints, gateways and broken proxies send;
// they are also the f.Add seeds of FuzzDecodeAnswer (the committed corpus in
// testdata/fuzz/FuzzDecodeAnswer holds more).
var decodeSeeds = []struct {
	status int
	body   string
}{
	{200, twoClients},
	{200, `{"RequestId":"R","Users":{"User":[]}}`},
	{200, `{"RequestId":"R","Users":null}`},
	{200, `{"RequestId":"R","Users":""}`},
	{200, `{"RequestId":"R","Users":{"User":[{"OnlineTime":1559125519,"ClientIp":"192.168.0.2"},{"OnlineTime":"-5","ClientIp":"not-an-ip"},{"OnlineTime":"yesterday","ClientIp":"::1"}]}}`},
	{200, twoClients[:len(twoClients)/2]},
	{200, ""},
	{200, "null"},
	{200, "{}"},
	{200, `<html>maintenance</html>`},
	{400, `{"RequestId":"R-1","HostId":"smartag.cn-shanghai.aliyuncs.com","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`},
	{400, `{"RequestId":12345,"Code":["x"],"Message":{}}`},
	{403, `{"RequestId":"R","Code":"Forbidden.RAM","AccessDeniedDetail":"not an object"}`},
	{400, `{"RequestId":"R-SIG","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3D` + testToken + `"}`},
	{502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"},
	{504, "<html><head><title>504 Gateway Time-out</title></head><body>Tengine</body></html>"},
	{503, `{"RequestId":"R","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`},
	{200, `{"RequestId":"R","Users":{"User":[{"ClientIp":1.5e400}]}}`},
	{200, `{"RequestId":"` + testToken + `","Users":5}`},
	{500, `{"Code":"` + testToken + `","RequestId":"` + testSecret + `"}`},
	{200, `{"RequestId":"R","Users":{"User":[{"OnlineTime":"99999999999999999999","ClientIp":"10.0.0.1"}]}}`},
	{302, ""},
}

// FuzzDecodeAnswer sends arbitrary answers (status and body) through the
// whole read path: it must never panic and must return either an output
// consistent with the answer or one of the package's typed errors.
func FuzzDecodeAnswer(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add(s.status, []byte(s.body))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = normalizeStatus(status)
		out, err := decodeAnswer(t, dir, status, body)
		checkAnswer(t, status, body, out, err)
	})
}

// FuzzParseEndpoint: ParseEndpoint never panics, and what it accepts
// round-trips through URL and has no query, fragment or user information.
func FuzzParseEndpoint(f *testing.F) {
	for _, s := range []string{
		"https://smartag.cn-shanghai.aliyuncs.com", "http://127.0.0.1:8080", "smartag.example.com:8443",
		"  [::1]:9000  ", "HTTP://localhost:1", "https://user:pw@host", "https://host/?a=b", "https://host?",
		"https://host#frag", "host:99999", "host:0", "://host", "https://[fe80::1%25en0]:443", "https://host:",
		"https://%41host", "http://a b", "https://host/%2F", "https://h\tost", "https://[::ffff:127.0.0.1]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ep, err := ParseEndpoint(raw)
		if err != nil {
			if ep != (Endpoint{}) {
				t.Fatalf("an error with a non-zero Endpoint %+v", ep)
			}
			return
		}
		if ep.Scheme != "HTTPS" && ep.Scheme != "HTTP" {
			t.Fatalf("scheme %q", ep.Scheme)
		}
		if ep.Host == "" || strings.ContainsAny(ep.Host, "?#@/ \t\r\n") {
			t.Fatalf("host %q of %q", ep.Host, raw)
		}
		u := ep.URL()
		if strings.ContainsAny(u[len("https://"):], "?#@") {
			t.Fatalf("URL %q of %q has a query, fragment or user information", u, raw)
		}
		again, err := ParseEndpoint(u)
		if err != nil {
			t.Fatalf("ParseEndpoint(%q) = %+v, but its URL %q does not parse: %v", raw, ep, u, err)
		}
		if again != ep {
			t.Fatalf("round trip of %q: %+v, then %q gives %+v", raw, ep, u, again)
		}
		if ep.Insecure() != (ep.Scheme == "HTTP") {
			t.Fatalf("Insecure() of %+v", ep)
		}
		_ = ep.Loopback()
	})
}

// The hostile answers below complete hostile_test.go; each must end in a
// clear error naming the status, the code and the request ID where there is
// one, or in a read that keeps odd values with a warning — never a panic.
