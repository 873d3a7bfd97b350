package sagclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestHostile_htmlGatewayPageIsRetriedThenReported(t *testing.T) {
	html := "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
	f := newFakeEndpoint(t, func(int, *http.Request) answer {
		return answer{status: 502, body: html, header: map[string]string{"Content-Type": "text/html"}}
	})
	_, err := describe(t, newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxRetries = 2 }))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || apiErr.Code != "" {
		t.Fatalf("want an APIError with status 502 and no code, got %v", err)
	}
	if !strings.Contains(apiErr.Message, "502 Bad Gateway") {
		t.Errorf("the message should show the start of the page: %q", apiErr.Message)
	}
	if f.count() != 3 {
		t.Errorf("a 502 must be retried: %d requests, want 3", f.count())
	}
}

func TestHostile_undecodableSuccessIsNotRetried(t *testing.T) {
	for name, body := range map[string]string{
		"truncated JSON":  twoClients[:len(twoClients)/2],
		"HTML with 200":   "<html>maintenance</html>",
		"users is string": `{"RequestId":"R","Users":""}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(body) })
			_, err := describe(t, newTestClient(t, f.endpoint(t)))
			var decodeErr *DecodeError
			if !errors.As(err, &decodeErr) || decodeErr.StatusCode != 200 {
				t.Fatalf("want a DecodeError for HTTP 200, got %T %v", err, err)
			}
			if f.count() != 1 {
				t.Errorf("%d requests, want 1", f.count())
			}
		})
	}
}

func TestHostile_errorDocumentWithWrongTypesDoesNotPanic(t *testing.T) {
	// The SDK type-asserts RequestId to a string and panics otherwise.
	f := newFakeEndpoint(t, func(int, *http.Request) answer {
		return answer{status: 400, body: `{"RequestId":12345,"Code":["x"],"Message":{}}`}
	})
	c := newTestClient(t, f.endpoint(t))
	_, err := describe(t, c)
	var decodeErr *DecodeError
	if !errors.As(err, &decodeErr) || decodeErr.StatusCode != 400 {
		t.Fatalf("want a DecodeError, got %T %v", err, err)
	}
	// The client is still usable afterwards.
	_, err = describe(t, c)
	if !errors.As(err, &decodeErr) {
		t.Fatalf("second read: want a DecodeError, got %v", err)
	}
}

func TestHostile_answerTooLarge(t *testing.T) {
	big := `{"RequestId":"R","Users":{"User":[` + strings.Repeat(`{"OnlineTime":"1","ClientIp":"10.0.0.1"},`, 2000) + `{}]}}`
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(big) })
	_, err := describe(t, newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxAnswerBytes = 4096 }))
	if !errors.Is(err, ErrAnswerTooLarge) {
		t.Fatalf("want ErrAnswerTooLarge, got %v", err)
	}
	if f.count() != 1 {
		t.Errorf("%d requests, want 1: a too-large answer is not retried", f.count())
	}
}

func TestHostile_answerExactlyAtLimitIsRead(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	out, err := describe(t, newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxAnswerBytes = int64(len(twoClients)) }))
	if err != nil || len(out.Clients) != 2 {
		t.Fatalf("got %v, %v", out, err)
	}
}

func TestHostile_connectionRefusedNamesEndpointWithoutQuery(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	ep := &Endpoint{Scheme: "HTTP", Host: addr}
	_, err = describe(t, newTestClient(t, ep, func(c *Config) { c.MaxRetries = 2 }))
	var transportErr *TransportError
	if !errors.As(err, &transportErr) {
		t.Fatalf("want a TransportError, got %T %v", err, err)
	}
	var exhausted *RetriesExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Attempts != 3 {
		t.Errorf("connection errors must be retried: %v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "http://"+addr) {
		t.Errorf("the error should name the endpoint: %s", msg)
	}
	for _, leak := range []string{"Signature", "AccessKeyId", "?", testSecret} {
		if strings.Contains(msg, leak) {
			t.Errorf("the error leaks %q: %s", leak, msg)
		}
	}
}

func TestHostile_endpointThatNeverAnswersHitsReadTimeout(t *testing.T) {
	f := newFakeEndpoint(t, func(_ int, r *http.Request) answer {
		<-r.Context().Done()
		return ok("")
	})
	wantAttemptTimedOutAndRetried(t, f, "a timed-out attempt")
}

// wantAttemptTimedOutAndRetried reads from f with a short per-attempt
// timeout and one retry: both attempts time out, and the read ends with a
// TransportError well before any longer deadline.
func wantAttemptTimedOutAndRetried(t *testing.T, f *fakeEndpoint, what string) {
	t.Helper()
	start := time.Now()
	_, err := describe(t, newTestClient(t, f.endpoint(t), func(c *Config) {
		c.ReadTimeout = 200 * time.Millisecond
		c.MaxRetries = 1
	}))
	var transportErr *TransportError
	if !errors.As(err, &transportErr) {
		t.Fatalf("want a TransportError, got %T %v", err, err)
	}
	if f.count() != 2 {
		t.Errorf("%s is retried: %d requests, want 2", what, f.count())
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("the read did not respect the per-attempt timeout")
	}
}

func TestHostile_signatureMismatchMessageHidesStringToSign(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer {
		return answer{status: 400, body: `{"RequestId":"R-SIG","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAItestkeyid0001%26SecurityToken%3D` + testToken + `"}`}
	})
	c := newTestClient(t, f.endpoint(t), func(c *Config) { c.Credentials.SecurityToken = testToken })
	_, err := describe(t, c)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "SignatureDoesNotMatch" || apiErr.RequestID != "R-SIG" {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "string to sign") {
		t.Errorf("the error carries the string to sign: %v", err)
	}
	if got := c.Scrub("token " + testToken + " and secret " + testSecret + " and ?Signature=abc&x=1"); strings.Contains(got, testToken) ||
		strings.Contains(got, testSecret) || strings.Contains(got, "abc") {
		t.Errorf("Scrub left a secret: %q", got)
	}
}

func TestHostile_cancelDuringBackoff(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return apiError(503, "ServiceUnavailable", "R") })
	c := newTestClient(t, f.endpoint(t), func(c *Config) {
		c.Backoff = &Backoff{Base: time.Hour, Max: time.Hour, Rand: func() float64 { return 0.5 }}
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for f.count() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("want context.Canceled, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancellation did not interrupt the backoff")
	}
}

func TestHostile_manyEmptyClientsAreRefusedNotStored(t *testing.T) {
	// 3 MB of "{}," entries: a million clients, two warnings each, if
	// nothing bounded them.
	body := `{"RequestId":"REQ-BIG","Users":{"User":[` + strings.Repeat(`{},`, 1_000_000) + `{}]}}`
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(body) })
	_, err := describe(t, newTestClient(t, f.endpoint(t)))
	var decodeErr *DecodeError
	if !errors.As(err, &decodeErr) || !strings.Contains(err.Error(), "more than the 50000") {
		t.Fatalf("want a decode error naming the bound, got %v", err)
	}
}

func TestHostile_warningsAreCappedAndQuotedBriefly(t *testing.T) {
	long := strings.Repeat("x", 5000)
	users := make([]string, 100)
	for i := range users {
		users[i] = `{"ClientIp":"` + long + `","OnlineTime":"soon"}`
	}
	body := `{"RequestId":"REQ-ODD","Users":{"User":[` + strings.Join(users, ",") + `]}}`
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(body) })
	out, err := describe(t, newTestClient(t, f.endpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Clients) != 100 || len(out.Warnings) != maxWarnings+1 {
		t.Fatalf("%d clients, %d warnings; want 100 and %d", len(out.Clients), len(out.Warnings), maxWarnings+1)
	}
	if last := out.Warnings[maxWarnings]; !strings.Contains(last, "180 more") {
		t.Errorf("the last warning should count the rest: %q", last)
	}
	for _, w := range out.Warnings {
		if len(w) > 400 {
			t.Errorf("a warning of %d bytes quotes too much: %.80q…", len(w), w)
		}
	}
}

const gatewayRequestID = "5E1A7B9C-2D5E-4E8A-9C3A-6F0B5C382B4C"

func TestHostile_gatewayPagesAreRetriedAndNamed(t *testing.T) {
	for status, title := range map[int]string{502: "502 Bad Gateway", 504: "504 Gateway Time-out"} {
		t.Run(title, func(t *testing.T) {
			f := newFakeEndpoint(t, func(int, *http.Request) answer {
				return answer{status: status, body: "<html><head><title>" + title + "</title></head><body>Tengine</body></html>",
					header: map[string]string{"Content-Type": "text/html", "x-acs-request-id": gatewayRequestID}}
			})
			_, err := describe(t, newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxRetries = 2 }))
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Code != "" || apiErr.RequestID != gatewayRequestID {
				t.Fatalf("want an APIError with status %d, no code and the header's request ID, got %v", status, err)
			}
			if f.count() != 3 {
				t.Errorf("a %d is retried: %d requests, want 3", status, f.count())
			}
			for _, want := range []string{title, "HTTP " + strconv.Itoa(status), "request ID " + gatewayRequestID, "gave up after 3 attempts"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error lacks %q: %v", want, err)
				}
			}
		})
	}
}

func TestHostile_undecodableAnswersNameStatusAndRequestID(t *testing.T) {
	for name, body := range map[string]string{
		"truncated JSON":     twoClients[:len(twoClients)/2],
		"Users is a string":  `{"RequestId":"R","Users":""}`,
		"User is an object":  `{"RequestId":"R","Users":{"User":{"ClientIp":"10.0.0.1"}}}`,
		"HTML with 200":      "<html>maintenance</html>",
		"empty 200":          "",
		"empty object":       "{}",
		"null":               "null",
		"error types in 200": `{"RequestId":["R"]}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := decodeClient(t, t.TempDir(), cannedAnswer{status: 200, body: []byte(body),
				header: http.Header{"X-Acs-Request-Id": {gatewayRequestID}}})
			defer c.transport.CloseIdleConnections()
			out, err := c.DescribeUserOnlineClients(context.Background(), DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
			var decodeErr *DecodeError
			if !errors.As(err, &decodeErr) {
				t.Fatalf("want a DecodeError, got %+v, %T %v", out, err, err)
			}
			if decodeErr.StatusCode != 200 || decodeErr.RequestID != gatewayRequestID {
				t.Errorf("status %d, request ID %q", decodeErr.StatusCode, decodeErr.RequestID)
			}
			if !strings.Contains(err.Error(), "HTTP 200, request ID "+gatewayRequestID) {
				t.Errorf("the error should name the status and request ID: %v", err)
			}
			if retryable(err) {
				t.Error("an undecodable success is not retried")
			}
		})
	}
}

// A broken endpoint may echo the request (its SecurityToken included) in
// any part of its answer; no error text may carry it out, not even a part.
func TestHostile_echoedSecretsNeverLeaveInErrors(t *testing.T) {
	pad := strings.Repeat("x", 180) // the snippet (200) ends 14 bytes into the token
	for name, a := range map[string]cannedAnswer{
		"in broken JSON":           {status: 200, body: []byte(`{"RequestId":"R","Users":{"User":[]},"x":` + testToken + `}`)},
		"near the JSON error":      {status: 200, body: []byte(`{"RequestId":"R","Users":` + testToken + `}`)},
		"in Code and RequestId":    {status: 500, body: []byte(`{"RequestId":"` + testToken + `","Code":"` + testSecret + `","Message":"m"}`)},
		"in the Message":           {status: 400, body: []byte(`{"RequestId":"R","Code":"InvalidParameter","Message":"token ` + testToken + ` Signature=abcdef&"}`)},
		"across the snippet's end": {status: 502, body: []byte("<html>" + pad + testToken + "</html>")},
		"in the request ID header": {status: 503, body: []byte("<html>down</html>"), header: http.Header{"X-Acs-Request-Id": {testToken}}},
		"in a 200's header":        {status: 200, body: []byte(`{}`), header: http.Header{"X-Acs-Request-Id": {testToken}}},
	} {
		t.Run(name, func(t *testing.T) {
			c := decodeClient(t, t.TempDir(), a)
			defer c.transport.CloseIdleConnections()
			_, err := c.DescribeUserOnlineClients(context.Background(), DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
			if err == nil || !isOurs(err) {
				t.Fatalf("want one of the package's errors, got %T %v", err, err)
			}
			msg := err.Error()
			for _, leak := range []string{testToken[:10], testSecret[:10], "abcdef"} {
				if strings.Contains(msg, leak) {
					t.Errorf("the error carries %q: %s", leak, msg)
				}
			}
		})
	}
}

func TestHostile_oddValuesAreKeptWithWarnings(t *testing.T) {
	body := `{"RequestId":"R","Users":{"User":[
		{"OnlineTime":1764300000,"ClientIp":"10.0.0.1"},
		{"OnlineTime":"soon","ClientIp":"10.0.0.2"},
		{"OnlineTime":"-1","ClientIp":"10.0.0.3"},
		{"OnlineTime":"","ClientIp":"10.0.0.4"},
		{"OnlineTime":"1764300000","ClientIp":"gateway.internal"},
		{"OnlineTime":"1764300000","ClientIp":12345}]}}`
	out, err := decodeAnswer(t, t.TempDir(), 200, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		ip, time string
		since    bool
	}{
		{"10.0.0.1", "1764300000", true}, {"10.0.0.2", "soon", false}, {"10.0.0.3", "-1", false},
		{"10.0.0.4", "", false}, {"gateway.internal", "1764300000", true}, {"12345", "1764300000", true},
	}
	if len(out.Clients) != len(want) {
		t.Fatalf("got %d clients, want %d", len(out.Clients), len(want))
	}
	for i, w := range want {
		got := out.Clients[i]
		if got.ClientIP != w.ip || got.OnlineTime != w.time || got.OnlineSince.IsZero() == w.since {
			t.Errorf("client %d: got %+v, want %+v", i, got, w)
		}
	}
	if len(out.Warnings) != 5 {
		t.Errorf("want 5 warnings (3 times, 2 IPs), got %d: %q", len(out.Warnings), out.Warnings)
	}
	for _, w := range []string{`OnlineTime "soon" is not unix seconds`, `OnlineTime "-1" is negative`, `ClientIp "gateway.internal" is not an IP address`} {
		if !strings.Contains(strings.Join(out.Warnings, "\n"), w) {
			t.Errorf("no warning says %q: %q", w, out.Warnings)
		}
	}
}

// An answer of many megabytes is cut at the default limit with a clear,
// unretried error; the client does not buffer all of it.
func TestHostile_manyMegabyteAnswerIsCutAtTheDefaultLimit(t *testing.T) {
	const sent = DefaultMaxAnswerBytes + 16<<20
	var written, requests atomic.Int64
	// The answer is streamed, never built.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(`{"OnlineTime":"1764300000","ClientIp":"10.0.0.1"},`, 1000))
		_, _ = w.Write([]byte(`{"RequestId":"R","Users":{"User":[`))
		for written.Load() < sent {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return // the client hung up
			}
		}
	}))
	t.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, err = describe(t, newTestClient(t, &ep, func(c *Config) { c.MaxAnswerBytes = 0 }))
	if !errors.Is(err, ErrAnswerTooLarge) {
		t.Fatalf("want ErrAnswerTooLarge, got %v", err)
	}
	var transportErr *TransportError
	if !errors.As(err, &transportErr) || transportErr.Endpoint != srv.URL {
		t.Errorf("the error should name the endpoint %s: %v", srv.URL, err)
	}
	if !strings.Contains(err.Error(), "more than 33554432 bytes") {
		t.Errorf("the error should name the limit: %v", err)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests: a too-large answer is not retried", n)
	}
}

func TestHostile_answerBodyThatStallsHitsReadTimeout(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok("") })
	f.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"RequestId":"R-STALL","Users":{"User":[`))
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		<-r.Context().Done() // the rest never comes
	})
	wantAttemptTimedOutAndRetried(t, f, "an attempt whose answer stalled")
}

func TestHostile_pooledClientKeepsNoAnswer(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(string(emptyEntries(maxClientsPerAnswer + 1))) })
	c := newTestClient(t, f.endpoint(t))
	_, err := describe(t, c)
	var decodeErr *DecodeError
	if !errors.As(err, &decodeErr) || !strings.HasPrefix(decodeErr.Snippet, `{"RequestId":"REQ-BIG","Users":{"User":[{},`) {
		t.Fatalf("want a DecodeError quoting the answer's start, got %v", err)
	}
	pc, err := c.getSDKClient()
	if err != nil {
		t.Fatal(err)
	}
	if pc.rt.decode != nil || pc.rt.streamed.ok || pc.rt.streamed.head != nil {
		t.Errorf("the pooled client still holds the last call's answer: %d bytes of it", len(pc.rt.streamed.head))
	}
}
