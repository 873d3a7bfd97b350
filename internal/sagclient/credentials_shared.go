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

// sharedCredentials makes one credential source safe for concurrent reads
// that each have their own deadline. At most one fetch runs at a time, in
// its own goroutine, and every read that needs credentials meanwhile waits
// for that fetch or for its own context, whichever ends first. A read that
// gives up leaves the fetch running for the others; when the last read
// waiting on it has given up, the fetch is cancelled too, so that no
// credential call outlives every read that wanted it. Each request of a
// fetch is bounded by client_connect_timeout + client_read_timeout.
type sharedCredentials struct {
	inner  credentialSource
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

// credentialFetch is one call of the inner source; done is closed when cc
// and err are set. waiting counts the reads waiting on it; cancel ends it
// when none is left.
type credentialFetch struct {
	done    chan struct{}
	cc      *credentials.Credentials
	err     error
	waiting int
	cancel  context.CancelCauseFunc
	// abandoned: cancelled because no read waited any more. Its error is
	// not remembered: it says nothing of the source.
	abandoned bool
}

// errAbandoned is the cause of a fetch no read waits for any more.
var errAbandoned = errors.New("every read waiting for these credentials ended")

func newSharedCredentials(inner credentialSource, source string, scrub *scrubber) *sharedCredentials {
	return &sharedCredentials{inner: inner, source: source, scrub: scrub, failureTTL: credentialFailureTTL, now: time.Now}
}

// Get returns credentials to sign one request with. It returns early, with
// a CredentialError wrapping context.Cause(ctx), when ctx ends first.
// Errors of the source are *CredentialError.
func (s *sharedCredentials) Get(ctx context.Context) (*credentials.Credentials, error) {
	for {
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
		if f != nil && f.abandoned {
			// Being cancelled: wait for it to end rather than run a second
			// fetch beside it; its credentials are good if it got them.
			s.mu.Unlock()
			s.notifyJoined()
			select {
			case <-f.done:
				if f.err == nil {
					return f.cc, nil
				}
				continue
			case <-ctx.Done():
				return nil, s.stopped(context.Cause(ctx))
			}
		}
		if f == nil {
			fetchCtx, cancel := context.WithCancelCause(context.Background())
			f = &credentialFetch{done: make(chan struct{}), cancel: cancel}
			s.inFlight = f
			go s.fetch(fetchCtx, f)
		}
		f.waiting++
		s.mu.Unlock()
		s.notifyJoined()
		return s.wait(ctx, f)
	}
}

func (s *sharedCredentials) notifyJoined() {
	if s.joined != nil {
		s.joined()
	}
}

// wait is one read waiting on f; the last read to give up cancels it.
func (s *sharedCredentials) wait(ctx context.Context, f *credentialFetch) (*credentials.Credentials, error) {
	select {
	case <-f.done:
		return f.cc, f.err
	case <-ctx.Done():
		s.mu.Lock()
		f.waiting--
		if f.waiting == 0 && s.inFlight == f {
			f.abandoned = true
			f.cancel(errAbandoned)
		}
		s.mu.Unlock()
		return nil, s.stopped(context.Cause(ctx))
	}
}

func (s *sharedCredentials) stopped(cause error) error {
	from := "the source"
	if d, ok := s.inner.(describedSource); ok {
		from = d.describe()
	}
	return &CredentialError{Source: s.source, Err: fmt.Errorf("no credentials from %s when the read ended: %w", from, cause)}
}

// describedSource names where a source fetches from, for the error of a
// read that ended waiting for it.
type describedSource interface {
	describe() string
}

// fetch calls the inner source. It runs in its own goroutine so that no
// read waits past its context, and it is the only caller of the inner
// source at any time.
func (s *sharedCredentials) fetch(ctx context.Context, f *credentialFetch) {
	cc, err := s.callInner(ctx)
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
	switch {
	case f.err != nil && !f.abandoned:
		s.lastErr, s.lastErrAt = f.err, s.now()
	case f.err == nil:
		s.lastErr = nil
	}
	s.mu.Unlock()
	f.cancel(nil)
	close(f.done)
}

// withoutSignedURL replaces transport errors that quote a whole URL (a
// signed STS URL carries a security token when the base credentials are
// temporary) with a TransportError naming only the host.
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

// callInner turns a panic of a source into an error instead of a crash of
// the provider: nothing would recover it in the fetch's goroutine.
func (s *sharedCredentials) callInner(ctx context.Context) (cc *credentials.Credentials, err error) {
	defer func() {
		if r := recover(); r != nil {
			cc, err = nil, fmt.Errorf("the credential source failed: %v", r)
		}
	}()
	return s.inner.credentials(ctx)
}

// GetCredentials is Get without a deadline, for tests and callers without
// a context.
func (s *sharedCredentials) GetCredentials() (*credentials.Credentials, error) {
	return s.Get(context.Background())
}

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
