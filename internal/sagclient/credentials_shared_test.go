package sagclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// blockingProvider is an SDK provider whose every call blocks until the
// test sends it a result.
type blockingProvider struct {
	calls   atomic.Int32
	started chan struct{}
	results chan providerResult
}

type providerResult struct {
	cc  *credentials.Credentials
	err error
}

func newBlockingProvider() *blockingProvider {
	return &blockingProvider{started: make(chan struct{}, 10), results: make(chan providerResult)}
}

func (p *blockingProvider) credentials(context.Context) (*credentials.Credentials, error) {
	p.calls.Add(1)
	p.started <- struct{}{}
	r := <-p.results
	return r.cc, r.err
}

// The shape of real STS credentials: base64, with '+', '/' and '='.
var issuedCreds = &credentials.Credentials{
	AccessKeyId:     "STS.NUgYrLnoC37mZZCNnAbez2A=",
	AccessKeySecret: "Fx3+kL9/aQ2=zR7w+uP0/sT==",
	SecurityToken:   "CAIS+gF1q6Ft5B2yfSjIr5bWOt/lj+xQ0Y2A=/bT3q+Zy==",
}

// sharedWithJoins is a sharedCredentials whose waits the test can count.
func sharedWithJoins(inner credentialSource) (*sharedCredentials, chan struct{}) {
	s := newSharedCredentials(inner, "test source", newScrubber())
	joined := make(chan struct{}, 10)
	s.joined = func() { joined <- struct{}{} }
	return s, joined
}

func TestSharedCredentials_readersGiveUpOnTheirOwnContextWhileOneFetchRuns(t *testing.T) {
	inner := newBlockingProvider()
	s, joined := sharedWithJoins(inner)

	const readers = 4
	cancels := make([]context.CancelFunc, readers)
	errs := make(chan error, readers)
	for i := range readers {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancels[i] = func() { cancel(errors.New("reader " + string(rune('A'+i)) + " cancelled")) }
		go func() {
			_, err := s.Get(ctx)
			errs <- err
		}()
	}
	for range readers {
		<-joined
	}
	<-inner.started

	// Each reader ends on its own, while the fetch is still blocked: none
	// waits for the fetch, nor for another reader.
	for i := range readers {
		cancels[i]()
		err := <-errs
		var credErr *CredentialError
		if !errors.As(err, &credErr) || !strings.Contains(err.Error(), "cancelled") {
			t.Fatalf("reader %d: want a CredentialError naming its cancellation, got %v", i, err)
		}
	}
	if n := inner.calls.Load(); n != 1 {
		t.Fatalf("%d readers made %d calls to the source, want 1", readers, n)
	}

	// The fetch went on: a later reader joins it and gets its result.
	got := make(chan providerResult, 1)
	go func() {
		cc, err := s.Get(context.Background())
		got <- providerResult{cc, err}
	}()
	<-joined
	inner.results <- providerResult{cc: issuedCreds}
	r := <-got
	if r.err != nil || r.cc != issuedCreds {
		t.Fatalf("the late reader got %v, %v", r.cc, r.err)
	}
	if n := inner.calls.Load(); n != 1 {
		t.Errorf("the late reader started a fetch of its own: %d calls", n)
	}
	for _, secret := range []string{issuedCreds.AccessKeySecret, issuedCreds.SecurityToken} {
		if got := s.scrub.scrub("x " + secret + " y"); got != "x REDACTED y" {
			t.Errorf("fetched secrets must be registered with the scrubber: %q", got)
		}
	}
}

func TestSharedCredentials_contextAlreadyEndedStartsNoFetch(t *testing.T) {
	inner := newBlockingProvider()
	s := newSharedCredentials(inner, "test source", newScrubber())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Get(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if n := inner.calls.Load(); n != 0 {
		t.Errorf("a read whose context had ended started %d fetches", n)
	}
}

func TestSharedCredentials_failureIsRememberedBriefly(t *testing.T) {
	inner := newBlockingProvider()
	s, joined := sharedWithJoins(inner)
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	stsDown := errors.New("STS is down")

	get := func(result *providerResult) error {
		errc := make(chan error, 1)
		go func() {
			_, err := s.Get(context.Background())
			errc <- err
		}()
		if result != nil {
			<-joined
			<-inner.started
			inner.results <- *result
		}
		return <-errc
	}

	first := get(&providerResult{err: stsDown})
	var credErr *CredentialError
	if !errors.As(first, &credErr) || !errors.Is(first, stsDown) || credErr.Source != "test source" {
		t.Fatalf("want a CredentialError wrapping the source's error, got %v", first)
	}
	clock = clock.Add(credentialFailureTTL - time.Millisecond)
	if again := get(nil); again == nil || again.Error() != first.Error() {
		t.Fatalf("within the TTL the failure must be returned as is, got %v", again)
	}
	if n := inner.calls.Load(); n != 1 {
		t.Fatalf("within the TTL the source was called again: %d calls", n)
	}

	clock = clock.Add(time.Millisecond)
	cc, err := func() (*credentials.Credentials, error) {
		got := make(chan providerResult, 1)
		go func() {
			cc, err := s.Get(context.Background())
			got <- providerResult{cc, err}
		}()
		<-joined
		<-inner.started
		inner.results <- providerResult{cc: issuedCreds}
		r := <-got
		return r.cc, r.err
	}()
	if err != nil || cc != issuedCreds || inner.calls.Load() != 2 {
		t.Fatalf("after the TTL the source must be asked again: %v, %v, %d calls", cc, err, inner.calls.Load())
	}
}

type panickingProvider struct{}

func (panickingProvider) credentials(context.Context) (*credentials.Credentials, error) {
	var missing *string
	return &credentials.Credentials{AccessKeyId: *missing}, nil
}

func TestSharedCredentials_panicOfTheSourceIsAnError(t *testing.T) {
	s := newSharedCredentials(panickingProvider{}, "test source", newScrubber())
	_, err := s.Get(context.Background())
	var credErr *CredentialError
	if !errors.As(err, &credErr) || !strings.Contains(err.Error(), "the credential source failed") {
		t.Fatalf("want a CredentialError, got %v", err)
	}
}

func TestCallCredentials(t *testing.T) {
	var p callCredentials
	if _, err := p.GetCredentials(); !errors.Is(err, errNoCallCredentials) {
		t.Fatalf("unset: want errNoCallCredentials, got %v", err)
	}
	p.cc = issuedCreds
	if cc, err := p.GetCredentials(); err != nil || cc != issuedCreds {
		t.Fatalf("got %v, %v", cc, err)
	}
}

// silentListener accepts TCP connections and never answers: an STS endpoint
// that hangs mid-handshake.
type silentListener struct {
	net.Listener
	accepted chan struct{}
	mu       sync.Mutex
	conns    []net.Conn
}

func newSilentListener(t *testing.T) *silentListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &silentListener{Listener: ln, accepted: make(chan struct{}, 100)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.mu.Lock()
			l.conns = append(l.conns, c)
			l.mu.Unlock()
			l.accepted <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, c := range l.conns {
			_ = c.Close()
		}
	})
	return l
}

func TestAssumeRole_readsWithADeadlineDoNotWaitForAnSTSThatNeverAnswers(t *testing.T) {
	sts := newSilentListener(t)
	resolved, err := resolveCredentials(CredentialsConfig{
		AccessKeyID: testKeyID, AccessKeySecret: testSecret,
		AssumeRole:  &AssumeRoleConfig{RoleARN: "acs:ram::123456789012:role/auditor"},
		STSEndpoint: sts.Addr().String(),
		ProfileFile: t.TempDir() + "/absent.json",
	}, newCredentialHTTP(credentialTimeouts{connect: time.Minute, read: time.Minute}), newScrubber())
	if err != nil {
		t.Fatal(err)
	}

	const readers = 4
	errs := make(chan error, readers)
	for range readers {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancel()
			_, err := resolved.provider.Get(ctx)
			errs <- err
		}()
	}
	for range readers {
		err := <-errs
		var credErr *CredentialError
		if !errors.As(err, &credErr) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("want a CredentialError wrapping the read's deadline, got %v", err)
		}
	}
	select {
	case <-sts.accepted:
	case <-time.After(30 * time.Second): // a guard against hanging, not a measurement
		t.Fatal("STS was never called")
	}
	select {
	case <-sts.accepted:
		t.Error("the readers called STS more than once")
	default:
	}
}

func TestRamRoleArnProfile_callsSTSWithTheClientTimeouts(t *testing.T) {
	sts := newSilentListener(t)
	file := writeProfileFile(t, `{"profiles":[{"name":"role","mode":"RamRoleArn","access_key_id":"AK-ROLE",
		"access_key_secret":"Zm9v+YmFy/c2VjcmV0=","ram_role_arn":"acs:ram::1:role/r"}]}`)
	resolved, err := resolveCredentials(CredentialsConfig{
		ProfileFile: file, Profile: "role", STSEndpoint: sts.Addr().String(),
	}, newCredentialHTTP(credentialTimeouts{connect: 50 * time.Millisecond, read: 50 * time.Millisecond}), newScrubber())
	if err != nil {
		t.Fatal(err)
	}
	// Without them the defaults apply, and a 5 s TLS handshake timeout
	// would end the call.
	_, err = resolved.provider.Get(context.Background())
	var transportErr *TransportError
	var netErr net.Error
	if !errors.As(err, &transportErr) || !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("want a timeout built from the client timeouts, got %v", err)
	}
	if want := "https://" + sts.Addr().String(); transportErr.Endpoint != want {
		t.Errorf("the error should name STS, %s, not %s", want, transportErr.Endpoint)
	}
	for _, leak := range []string{"Signature", "AccessKeyId", "?"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("the error quotes the signed URL (%q): %v", leak, err)
		}
	}
	if got := resolved.provider.scrub.scrub("Zm9v+YmFy/c2VjcmV0="); got != "REDACTED" {
		t.Errorf("the profile's secret must be registered with the scrubber, got %q", got)
	}
}

// closingListener is an STS endpoint that hangs up at once.
func closingListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	return ln.Addr().String()
}

func TestAssumeRole_ECSRoleBaseCredentialsAreRegisteredWithTheScrubber(t *testing.T) {
	ecs := &credentials.Credentials{AccessKeyId: "STS.ecs", AccessKeySecret: "ecs+Secret/Of=The+Role", SecurityToken: "ecs+Token/Of/The+Role=="}
	orig := newECSRoleProvider
	newECSRoleProvider = func(string) (credentialSource, error) {
		return newStaticSource(ecs.AccessKeyId, ecs.AccessKeySecret, ecs.SecurityToken), nil
	}
	t.Cleanup(func() { newECSRoleProvider = orig })

	resolved, err := resolveCredentials(CredentialsConfig{
		ECSRoleName: "auditor-host", ProfileFile: t.TempDir() + "/absent.json",
		AssumeRole:  &AssumeRoleConfig{RoleARN: "acs:ram::123456789012:role/auditor"},
		STSEndpoint: closingListener(t),
	}, nil, newScrubber())
	if err != nil {
		t.Fatal(err)
	}
	if got := resolved.provider.scrub.scrub(ecs.AccessKeySecret); got != ecs.AccessKeySecret {
		t.Fatalf("registered before any fetch? %q", got)
	}
	// The SDK asks the base for credentials, then calls STS, which fails.
	if _, err := resolved.provider.Get(context.Background()); err == nil {
		t.Fatal("STS hung up, yet the fetch succeeded")
	}
	for _, secret := range []string{ecs.AccessKeySecret, ecs.SecurityToken} {
		if got := resolved.provider.scrub.scrub("<" + secret + ">"); got != "<REDACTED>" {
			t.Errorf("the ECS role's secret %q is not registered: %q", secret, got)
		}
	}
}

// The same through the request path: a read waiting for credentials stops
// at its own deadline, and says so.
func TestDescribe_readsWaitingForCredentialsStopAtTheirDeadline(t *testing.T) {
	sts := newSilentListener(t)
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	c := newTestClient(t, f.endpoint(t), func(cfg *Config) {
		cfg.Credentials.AssumeRole = &AssumeRoleConfig{RoleARN: "acs:ram::123456789012:role/auditor"}
		cfg.Credentials.STSEndpoint = sts.Addr().String()
		cfg.ReadTimeout, cfg.ConnectTimeout = time.Minute, time.Minute
	})
	const readers = 4
	errs := make(chan error, readers)
	for range readers {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancel()
			_, err := c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
			errs <- err
		}()
	}
	for range readers {
		select {
		case err := <-errs:
			// It names the credential source and STS, not a Smartag
			// request that "stopped after 0 attempts".
			var credErr *CredentialError
			var stopped *StoppedError
			if !errors.As(err, &credErr) || errors.As(err, &stopped) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("want a CredentialError at the read's deadline, got %v", err)
			}
			for _, want := range []string{"assume_role(static access key)", "STS AssumeRole at https://" + sts.Addr().String()} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not name %q: %v", want, err)
				}
			}
		case <-time.After(30 * time.Second): // a guard against hanging, not a measurement
			t.Fatal("a read waited for STS past its deadline")
		}
	}
	if f.count() != 0 {
		t.Errorf("%d Smartag requests without credentials", f.count())
	}
}

// stsThrottled is a credentials source whose STS answers Throttling.User.
type stsThrottled struct{ calls atomic.Int32 }

func (p *stsThrottled) credentials(context.Context) (*credentials.Credentials, error) {
	p.calls.Add(1)
	return nil, &APIError{Action: ActionAssumeRole, StatusCode: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestID: "STS-1"}
}

// An STS refusal is a credential failure, not a throttle of the Smartag
// action: no resending under the governor, and nothing learned about the
// action's rate.
func TestDescribe_stsThrottlingIsACredentialErrorNotASmartagThrottle(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	c := newTestClient(t, f.endpoint(t))
	src := &stsThrottled{}
	shared := newSharedCredentials(src, "assume_role(test)", c.scrub)
	c.creds = func() (*resolvedCredentials, error) {
		return &resolvedCredentials{provider: shared, source: "assume_role(test)"}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"})
	var credErr *CredentialError
	var stopped *StoppedError
	if !errors.As(err, &credErr) || errors.As(err, &stopped) {
		t.Fatalf("want the credential error at once, got %v", err)
	}
	if n := src.calls.Load(); n != 1 || f.count() != 0 {
		t.Errorf("STS called %d times, Smartag %d times", n, f.count())
	}
	if r := c.gate.gov.Rate("cn-shanghai/" + ActionDescribeUserOnlineClients); r != 0 {
		t.Errorf("the governor learned a rate of %v from an STS refusal", r)
	}
}

// ctxSource blocks until its context ends, the first time; then answers.
type ctxSource struct {
	calls  atomic.Int32
	causes chan error
}

func (p *ctxSource) credentials(ctx context.Context) (*credentials.Credentials, error) {
	if p.calls.Add(1) > 1 {
		return issuedCreds, nil
	}
	<-ctx.Done()
	p.causes <- context.Cause(ctx)
	return nil, context.Cause(ctx)
}

// When the last read waiting for a fetch gives up, the fetch is cancelled:
// no credential call outlives every read that wanted it. Its error is not
// remembered: the next read fetches again.
func TestSharedCredentials_fetchIsCancelledWhenNoReadWaits(t *testing.T) {
	src := &ctxSource{causes: make(chan error, 1)}
	s := newSharedCredentials(src, "test source", newScrubber())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Get(ctx)
		done <- err
	}()
	for src.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the reader: %v", err)
	}
	select {
	case cause := <-src.causes:
		if !errors.Is(cause, errAbandoned) {
			t.Errorf("the fetch was cancelled with %v", cause)
		}
	case <-time.After(30 * time.Second): // a guard against hanging, not a measurement
		t.Fatal("the fetch went on after its only reader left")
	}
	cc, err := s.Get(context.Background())
	if err != nil || cc != issuedCreds {
		t.Fatalf("the next read got %v, %v; want a fetch of its own", cc, err)
	}
}
