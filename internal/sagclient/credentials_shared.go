package sagclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// credentialFailureTTL is how long a failed fetch is remembered: the reads
// and retries of the next few seconds get its error at once instead of each
// calling STS or the metadata service again.
const credentialFailureTTL = 5 * time.Second

// sharedCredentials makes one SDK credentials provider safe for concurrent
// reads that each have their own deadline. The SDK's STS and ECS providers
// refresh a cached session without locking, and their network calls take
// no context. So at most one fetch runs at a time, in its own goroutine,
// and every read that needs credentials meanwhile waits for that fetch or
// for its own context, whichever ends first. A read that gives up leaves
// the fetch running for the others; the fetch itself is bounded by the
// provider's own HTTP timeouts (client_connect_timeout + client_read_timeout
// for STS).
type sharedCredentials struct {
	inner  credentials.CredentialsProvider
	source string
	scrub  *scrubber

	failureTTL time.Duration
	now        func() time.Time
	// joined, when set (tests), is called once a read waits on a fetch.
	joined func()

	mu        sync.Mutex
	inFlight  *credentialFetch
	lastErr   error
	lastErrAt time.Time
}

// credentialFetch is one call of the inner provider; done is closed when cc
// and err are set.
type credentialFetch struct {
	done chan struct{}
	cc   *credentials.Credentials
	err  error
}

func newSharedCredentials(inner credentials.CredentialsProvider, source string, scrub *scrubber) *sharedCredentials {
	return &sharedCredentials{inner: inner, source: source, scrub: scrub, failureTTL: credentialFailureTTL, now: time.Now}
}

// Get returns credentials to sign one request with. It returns early, with
// an error wrapping context.Cause(ctx), when ctx ends first. Errors of the
// source are *CredentialError.
func (s *sharedCredentials) Get(ctx context.Context) (*credentials.Credentials, error) {
	if err := context.Cause(ctx); err != nil {
		return nil, s.stopped(err)
	}
	s.mu.Lock()
	if s.lastErr != nil && s.now().Sub(s.lastErrAt) < s.failureTTL {
		err := s.lastErr
		s.mu.Unlock()
		return nil, err
	}
	f := s.inFlight
	if f == nil {
		f = &credentialFetch{done: make(chan struct{})}
		s.inFlight = f
		go s.fetch(f)
	}
	s.mu.Unlock()
	if s.joined != nil {
		s.joined()
	}

	select {
	case <-f.done:
		return f.cc, f.err
	case <-ctx.Done():
		return nil, s.stopped(context.Cause(ctx))
	}
}

func (s *sharedCredentials) stopped(cause error) error {
	return &CredentialError{Source: s.source, Err: fmt.Errorf("still waiting for them when the read ended: %w", cause)}
}

// fetch calls the inner provider. It runs in its own goroutine so that no
// read waits past its context, and it is the only caller of the inner
// provider at any time.
func (s *sharedCredentials) fetch(f *credentialFetch) {
	cc, err := s.callInner()
	if err == nil && cc == nil {
		err = errors.New("the source returned no credentials")
	}
	if err != nil {
		f.err = &CredentialError{Source: s.source, Err: withoutSignedURL(err)}
	} else {
		// Remember the secrets so that no message can carry them out.
		s.scrub.add(cc.AccessKeySecret, cc.SecurityToken)
		f.cc = cc
	}

	s.mu.Lock()
	s.inFlight = nil
	if f.err != nil {
		s.lastErr, s.lastErrAt = f.err, s.now()
	} else {
		s.lastErr = nil
	}
	s.mu.Unlock()
	close(f.done)
}

// withoutSignedURL replaces the SDK's transport errors, which quote the
// whole signed STS URL (a security token included when the base
// credentials are temporary), with a TransportError naming only the host.
func withoutSignedURL(err error) error {
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		return err
	}
	endpoint := "the credentials endpoint"
	if u, perr := url.Parse(urlErr.URL); perr == nil && u.Host != "" {
		endpoint = u.Scheme + "://" + u.Host
	}
	return &TransportError{Endpoint: endpoint, Err: urlErr.Err}
}

// callInner turns a panic of the SDK (it dereferences optional fields of
// STS and metadata answers) into an error instead of a crash of the
// provider: nothing would recover it in the fetch's goroutine.
func (s *sharedCredentials) callInner() (cc *credentials.Credentials, err error) {
	defer func() {
		if r := recover(); r != nil {
			cc, err = nil, fmt.Errorf("the SDK could not handle the answer: %v", r)
		}
	}()
	return s.inner.GetCredentials()
}

// GetCredentials makes sharedCredentials an SDK provider too, for callers
// without a context. It waits as long as the fetch takes.
func (s *sharedCredentials) GetCredentials() (*credentials.Credentials, error) {
	return s.Get(context.Background())
}

func (s *sharedCredentials) GetProviderName() string { return s.inner.GetProviderName() }

// callCredentials is the credentials provider of one pooled SDK client. The
// SDK asks its provider for credentials inside DoAction, which takes no
// context; so the request path gets them first, with sharedCredentials.Get
// and the call's context, and sets them here for the SDK to sign with, the
// way callTransport carries the call's context.
type callCredentials struct {
	cc *credentials.Credentials
}

// errNoCallCredentials means a pooled client was used without setting the
// call's credentials: a bug of the request path, not of the user.
var errNoCallCredentials = errors.New("internal error: no credentials were set for this call")

func (p *callCredentials) GetCredentials() (*credentials.Credentials, error) {
	if p.cc == nil {
		return nil, errNoCallCredentials
	}
	return p.cc, nil
}

func (p *callCredentials) GetProviderName() string { return "sagclient_call" }
