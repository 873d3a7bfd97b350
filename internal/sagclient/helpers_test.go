package sagclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// answer is what the fake endpoint sends back for one request.
type answer struct {
	status int
	body   string
	header map[string]string
}

// fakeEndpoint is an httptest server that records the requests it got and
// answers from a function of the request's sequence number (from 1).
type fakeEndpoint struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
}

func newFakeEndpoint(t testing.TB, answerFor func(n int, r *http.Request) answer) *fakeEndpoint {
	t.Helper()
	f := &fakeEndpoint{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		f.requests = append(f.requests, r)
		n := len(f.requests)
		f.mu.Unlock()
		a := answerFor(n, r)
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
		}
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeEndpoint) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeEndpoint) request(i int) *http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[i]
}

// endpoint is the fake's address as the client wants it.
func (f *fakeEndpoint) endpoint(t testing.TB) *Endpoint {
	t.Helper()
	ep, err := ParseEndpoint(f.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &ep
}

const (
	testKeyID  = "LTAItestkeyid0001"
	testSecret = "test-secret-value-0001"
	testToken  = "test-security-token-0001"
)

// newTestClient is a client with static credentials and fast retries.
func newTestClient(t testing.TB, ep *Endpoint, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Region:     "cn-shanghai",
		Endpoint:   ep,
		MaxRetries: 3,
		Credentials: CredentialsConfig{
			AccessKeyID:     testKeyID,
			AccessKeySecret: testSecret,
			ProfileFile:     t.TempDir() + "/absent.json",
		},
		Backoff: &Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond},
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.transport.CloseIdleConnections)
	return c
}

func describe(t *testing.T, c *Client) (*DescribeUserOnlineClientsOutput, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
}

func ok(body string) answer { return answer{status: 200, body: body} }

func apiError(status int, code, requestID string) answer {
	return answer{status: status, body: `{"RequestId":"` + requestID + `","HostId":"smartag.cn-shanghai.aliyuncs.com","Code":"` + code + `","Message":"message for ` + code + `","Recommend":"https://api.aliyun.com/troubleshoot"}`}
}
