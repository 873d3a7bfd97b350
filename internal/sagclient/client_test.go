package sagclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const twoClients = `{"RequestId":"REQ-1","Users":{"User":[{"OnlineTime":"1559125519","ClientIp":"192.168.0.2"},{"OnlineTime":"1559125000","ClientIp":"10.0.0.7"}]}}`

func TestDescribeUserOnlineClients_success(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	c := newTestClient(t, f.endpoint(t), func(cfg *Config) {
		cfg.UserAgent = []UserAgentPart{{Name: "terraform-provider-smartag", Version: "1.2.3"}, {Name: "Terraform", Version: "1.11.4"}}
	})

	out, err := describe(t, c)
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if out.RequestID != "REQ-1" || out.Region != "cn-shanghai" || out.Stats.Requests != 1 {
		t.Errorf("got request ID %q, region %q, attempts %d", out.RequestID, out.Region, out.Stats.Requests)
	}
	want := []OnlineClient{
		{ClientIP: "192.168.0.2", OnlineTime: "1559125519", OnlineSince: time.Date(2019, 5, 29, 10, 25, 19, 0, time.UTC)},
		{ClientIP: "10.0.0.7", OnlineTime: "1559125000", OnlineSince: time.Date(2019, 5, 29, 10, 16, 40, 0, time.UTC)},
	}
	if len(out.Clients) != len(want) {
		t.Fatalf("got %d clients, want %d", len(out.Clients), len(want))
	}
	for i := range want {
		if out.Clients[i] != want[i] {
			t.Errorf("client %d: got %+v, want %+v", i, out.Clients[i], want[i])
		}
	}
	if len(out.Warnings) != 0 {
		t.Errorf("unexpected warnings: %v", out.Warnings)
	}

	r := f.request(0)
	for name, want := range map[string]string{
		"Action": "DescribeUserOnlineClients", "Version": "2018-03-13", "Format": "JSON",
		"RegionId": "cn-shanghai", "SmartAGId": "sag-abc123", "UserName": "alice",
		"AccessKeyId": testKeyID, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
	} {
		if got := r.Form.Get(name); got != want {
			t.Errorf("parameter %s: got %q, want %q", name, got, want)
		}
	}
	if r.Form.Get("Signature") == "" || r.Form.Get("SignatureNonce") == "" {
		t.Error("request is not signed")
	}
	ua := r.Header.Get("User-Agent")
	for _, part := range []string{"terraform-provider-smartag/1.2.3", "Terraform/1.11.4"} {
		if !strings.Contains(ua, part) {
			t.Errorf("User-Agent %q lacks %q", ua, part)
		}
	}
}

func TestDescribeUserOnlineClients_emptyAndNull(t *testing.T) {
	for name, body := range map[string]string{
		"empty list": `{"RequestId":"R","Users":{"User":[]}}`,
		"null users": `{"RequestId":"R","Users":null}`,
		"no users":   `{"RequestId":"R"}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(body) })
			out, err := describe(t, newTestClient(t, f.endpoint(t)))
			if err != nil {
				t.Fatal(err)
			}
			if out.Clients == nil || len(out.Clients) != 0 {
				t.Errorf("want an empty, non-nil list, got %#v", out.Clients)
			}
		})
	}
}

func TestDescribeUserOnlineClients_lenientValues(t *testing.T) {
	body := `{"RequestId":"R","Users":{"User":[
		{"OnlineTime":1559125519,"ClientIp":"192.168.0.2"},
		{"OnlineTime":"yesterday","ClientIp":"10.0.0.1"},
		{"OnlineTime":"-5","ClientIp":"not-an-ip"}]}}`
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(body) })
	out, err := describe(t, newTestClient(t, f.endpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Clients[0]; got.OnlineTime != "1559125519" || got.OnlineSince.Unix() != 1559125519 {
		t.Errorf("numeric OnlineTime: got %+v", got)
	}
	if got := out.Clients[1]; got.OnlineTime != "yesterday" || !got.OnlineSince.IsZero() {
		t.Errorf("non-numeric OnlineTime must be kept, with no instant: got %+v", got)
	}
	if got := out.Clients[2]; got.ClientIP != "not-an-ip" || !got.OnlineSince.IsZero() {
		t.Errorf("odd values must be kept as given: got %+v", got)
	}
	if len(out.Warnings) != 3 {
		t.Errorf("want 3 warnings (two times, one IP), got %d: %v", len(out.Warnings), out.Warnings)
	}
}

func TestDescribeUserOnlineClients_retriesThrottlingWithFreshSignatures(t *testing.T) {
	f := newFakeEndpoint(t, func(n int, _ *http.Request) answer {
		switch n {
		case 1:
			return apiError(400, "Throttling.User", "T1")
		case 2:
			return apiError(503, "ServiceUnavailable", "T2")
		default:
			return ok(twoClients)
		}
	})
	out, err := describe(t, newTestClient(t, f.endpoint(t)))
	if err != nil {
		t.Fatal(err)
	}
	if out.Stats.Requests != 3 || f.count() != 3 {
		t.Fatalf("attempts %d, requests %d; want 3", out.Stats.Requests, f.count())
	}
	nonces := map[string]bool{}
	for i := 0; i < 3; i++ {
		nonces[f.request(i).Form.Get("SignatureNonce")] = true
	}
	if len(nonces) != 3 {
		t.Errorf("each retry must be freshly signed; got nonces %v", nonces)
	}
}

func TestDescribeUserOnlineClients_neverRetriesClientErrors(t *testing.T) {
	for _, code := range []string{"SAG.InstanceNoFound", "SignatureDoesNotMatch", "ClientUser.NameInvalid", "Forbidden.RAM"} {
		t.Run(code, func(t *testing.T) {
			status := 400
			if code == "Forbidden.RAM" {
				status = 403
			}
			f := newFakeEndpoint(t, func(int, *http.Request) answer { return apiError(status, code, "REQ-X") })
			_, err := describe(t, newTestClient(t, f.endpoint(t)))
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want *APIError, got %T: %v", err, err)
			}
			if apiErr.Code != code || apiErr.RequestID != "REQ-X" || apiErr.StatusCode != status {
				t.Errorf("got %+v", apiErr)
			}
			if f.count() != 1 {
				t.Errorf("sent %d requests, want 1", f.count())
			}
		})
	}
}

func TestDescribeUserOnlineClients_maxRetries(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return apiError(503, "ServiceUnavailable", "R") })
	_, err := describe(t, newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxRetries = 2 }))
	var exhausted *RetriesExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Attempts != 3 {
		t.Fatalf("want RetriesExhaustedError after 3 attempts, got %v", err)
	}
	if f.count() != 3 {
		t.Errorf("sent %d requests, want 3", f.count())
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "ServiceUnavailable" {
		t.Errorf("the last API error must stay visible, got %v", err)
	}
}

func TestDescribeUserOnlineClients_zeroRetries(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return apiError(503, "ServiceUnavailable", "R") })
	_, err := describe(t, newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxRetries = 0 }))
	if err == nil || f.count() != 1 {
		t.Fatalf("want one request and an error, got %d requests, %v", f.count(), err)
	}
}

func TestDescribeUserOnlineClients_deadlineStopsRetrying(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return apiError(500, "InternalError", "R") })
	c := newTestClient(t, f.endpoint(t), func(c *Config) {
		c.MaxRetries = 10
		// Every wait is a full hour: far past the deadline below.
		c.Backoff = &Backoff{Base: time.Hour, Max: time.Hour, Rand: func() float64 { return 0.999 }}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
	var exhausted *RetriesExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Limit != LimitDeadline {
		t.Fatalf("want a give-up naming the read timeout, got %v", err)
	}
	if f.count() != 1 {
		t.Errorf("sent %d requests, want 1", f.count())
	}
}

func TestDescribeUserOnlineClients_cancelStopsInFlightRequest(t *testing.T) {
	arrived := make(chan struct{})
	released := make(chan struct{})
	f := newFakeEndpoint(t, func(_ int, r *http.Request) answer {
		close(arrived)
		<-r.Context().Done() // the client went away
		close(released)
		return ok(twoClients)
	})
	c := newTestClient(t, f.endpoint(t), func(c *Config) { c.ReadTimeout = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
		errc <- err
	}()
	<-arrived
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("want context.Canceled, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read did not stop after cancellation")
	}
	select {
	case <-released:
	case <-time.After(10 * time.Second):
		t.Fatal("the request was not cancelled on the wire")
	}
	if f.count() != 1 {
		t.Errorf("sent %d requests, want 1", f.count())
	}
}

func TestDescribeUserOnlineClients_concurrentReads(t *testing.T) {
	f := newFakeEndpoint(t, func(_ int, r *http.Request) answer {
		return ok(`{"RequestId":"R","Users":{"User":[{"OnlineTime":"1","ClientIp":"` + r.Form.Get("UserName") + `"}]}}`)
	})
	c := newTestClient(t, f.endpoint(t))
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := "u" + strings.Repeat("x", i%7) + string(rune('a'+i%26))
			out, err := c.DescribeUserOnlineClients(context.Background(), DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: user})
			if err != nil {
				errs <- err
				return
			}
			if out.Clients[0].ClientIP != user {
				errs <- errors.New("answer crossed between concurrent reads: " + out.Clients[0].ClientIP + " for " + user)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestDescribeUserOnlineClients_regionOverride(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	c := newTestClient(t, f.endpoint(t))
	out, err := c.DescribeUserOnlineClients(context.Background(), DescribeUserOnlineClientsInput{Region: "cn-hongkong", SmartAGID: "sag-abc123", UserName: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Region != "cn-hongkong" || f.request(0).Form.Get("RegionId") != "cn-hongkong" {
		t.Errorf("region override not used: %q / %q", out.Region, f.request(0).Form.Get("RegionId"))
	}
}

func TestDescribeUserOnlineClients_noRegion(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	c := newTestClient(t, f.endpoint(t), func(c *Config) { c.Region = "" })
	_, err := describe(t, c)
	if !errors.Is(err, ErrNoRegion) || f.count() != 0 {
		t.Fatalf("want ErrNoRegion and no request, got %v, %d requests", err, f.count())
	}
}

func TestDescribeUserOnlineClients_throttlingCostsTimeNotRetries(t *testing.T) {
	f := newFakeEndpoint(t, func(n int, _ *http.Request) answer {
		if n <= 3 {
			return apiError(400, "Throttling.User", "T")
		}
		return ok(twoClients)
	})
	out, err := describe(t, newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxRetries = 0 }))
	if err != nil {
		t.Fatalf("three throttles with max_retries 0: %v", err)
	}
	if out.Stats.Throttled != 3 || out.Stats.Retries != 0 || out.Stats.Requests != 4 {
		t.Errorf("stats %+v", out.Stats)
	}
}

func TestDescribeUserOnlineClients_throttlingThatNeverEndsStopsAtTheDeadline(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return apiError(400, "Throttling.User", "T") })
	c := newTestClient(t, f.endpoint(t))
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_, err := c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
	var stopped *StoppedError
	if !errors.As(err, &stopped) || !errors.Is(err, context.DeadlineExceeded) || stopped.Throttled == 0 ||
		stopped.Action != ActionDescribeUserOnlineClients || stopped.About.UserName != "alice" {
		t.Fatalf("want a stop at the deadline naming the action and the throttled requests, got %v", err)
	}
	if !strings.Contains(err.Error(), "refused by throttling") {
		t.Errorf("message: %v", err)
	}
	// The governor slows down instead of hammering a server that refuses
	// everything: a few dozen requests, not thousands.
	if n := f.count(); n > 200 {
		t.Errorf("%d requests in 1.5 s to a server refusing everything", n)
	}
}

func TestDescribeUserOnlineClients_ceilingIsNeverExceeded(t *testing.T) {
	var mu sync.Mutex
	var arrivals []time.Time
	f := newFakeEndpoint(t, func(int, *http.Request) answer {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		return ok(twoClients)
	})
	c := newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxRequestsPerSecond = 4 })
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := describe(t, c); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// Arrivals at the server can only be later than the grants, and a
	// request's own latency cannot pull two grants closer than the
	// ceiling's spacing by more than the scheduling noise, so count in any
	// rolling second with a generous margin below it.
	for i := range arrivals {
		n := 0
		for _, a := range arrivals {
			if !a.Before(arrivals[i]) && a.Sub(arrivals[i]) < 800*time.Millisecond {
				n++
			}
		}
		if n > 4 {
			t.Fatalf("%d requests within 0.8 s under a ceiling of 4 per second", n)
		}
	}
}
