package sagclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// newBaseTransport is shared by every SDK client of one Client, so that
// connections are reused across concurrent reads. Terraform reads up to ten
// data sources at once by default: keep more than that many idle connections
// per host.
func newBaseTransport(connectTimeout time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    64,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    connectTimeout,
		ExpectContinueTimeout:  time.Second,
		OnProxyConnectResponse: refusedTunnel,
	}
}

// ProxyError is a proxy's refusal to open a tunnel to the endpoint (HTTPS
// through HTTPS_PROXY): its answer to CONNECT was not 200. It does not heal
// by retrying: the proxy's rules or credentials must change.
type ProxyError struct {
	// Proxy is the proxy's scheme and host, without credentials.
	Proxy      string
	Target     string
	StatusCode int
	Status     string
}

func (e *ProxyError) Error() string {
	return fmt.Sprintf("the proxy %s refused the tunnel to %s: %s", e.Proxy, e.Target, e.Status)
}

// refusedTunnel turns a CONNECT answer other than 200 into a ProxyError;
// net/http would return only the status text, as an untyped error.
func refusedTunnel(_ context.Context, proxyURL *url.URL, connectReq *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return &ProxyError{
		Proxy:      proxyURL.Scheme + "://" + proxyURL.Host,
		Target:     connectReq.Host, // the CONNECT's authority, host:port
		StatusCode: resp.StatusCode,
		Status:     snippet(resp.Status, 100),
	}
}

// callTransport is the RoundTripper of one pooled SDK client. The SDK builds
// its requests without a context, so a deadline or a cancelled plan would
// never reach the network; the pool hands each client to one call at a time
// and sets that call's context here before the SDK runs.
type callTransport struct {
	base     http.RoundTripper
	maxBytes int64
	ctx      context.Context //nolint:containedctx // set per call by the pool, see above
	// decode, set per call like ctx, decodes a successful (2xx) answer as
	// it arrives (see streamAnswer); streamed is what it found.
	decode   func(io.Reader) error
	streamed streamedAnswer
}

// streamedAnswer is a successful answer decoded by the transport.
type streamedAnswer struct {
	ok bool // an answer was decoded (or refused) here
	// err is why the answer was refused, nil if it was not.
	err error
	// head is the answer's first bodyHeadBytes bytes, for messages.
	head []byte
}

// takeStreamed is the answer the call's decode found, if any; the
// transport then forgets it and the call's decode.
func (t *callTransport) takeStreamed() streamedAnswer {
	s := t.streamed
	t.streamed, t.decode = streamedAnswer{}, nil
	return s
}

func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	callCtx := t.ctx
	if callCtx == nil {
		callCtx = context.Background()
	}
	// Cancel the attempt when either the SDK's own timeout (on req) or the
	// caller's context ends.
	ctx, cancel := context.WithCancelCause(req.Context())
	stop := context.AfterFunc(callCtx, func() { cancel(context.Cause(callCtx)) })
	done := func() { stop(); cancel(nil) }

	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		done()
		return nil, err
	}
	if redirect := redirectOf(resp); redirect != nil {
		_ = resp.Body.Close()
		done()
		return nil, redirect
	}
	body := &boundedBody{rc: resp.Body, remaining: t.maxBytes, limit: t.maxBytes, done: done}
	if t.decode == nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Body = body // an error document: the SDK reads and parses it
		return resp, nil
	}
	t.streamAnswer(resp, body)
	return resp, nil
}

// streamAnswer decodes a successful answer as it arrives, and gives the
// SDK an empty body in its place. The SDK would read it whole into a
// growing buffer and copy that into a string, several times the answer's
// size held before a single entry is decoded, for a CommonResponse that
// only carries the bytes; a hostile answer of megabytes costs a buffer
// this way, and the entries up to the limit.
//
// What follows a refusal is read, not kept, so that an answer cut short or
// over the size limit is reported as such, as when the SDK read it first:
// a read error is handed to the SDK as the body's, to be reported as
// before.
func (t *callTransport) streamAnswer(resp *http.Response, body *boundedBody) {
	src := &answerSource{r: body}
	err := t.decode(src)
	if err != nil && src.err == nil {
		_, _ = io.Copy(io.Discard, src)
	}
	_ = body.Close()
	if src.err != nil {
		resp.Body = io.NopCloser(errReader{src.err})
		return
	}
	t.streamed = streamedAnswer{ok: true, err: err, head: src.head}
	resp.Body = http.NoBody
}

// answerSource is an answer's body as the decoder reads it: it keeps the
// first bodyHeadBytes bytes, for messages, and the first read error.
type answerSource struct {
	r    io.Reader
	head []byte
	err  error
}

func (s *answerSource) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if room := bodyHeadBytes - len(s.head); room > 0 && n > 0 {
		s.head = append(s.head, p[:min(n, room)]...)
	}
	if err != nil && !errors.Is(err, io.EOF) && s.err == nil {
		s.err = err
	}
	return n, err
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// RedirectError is a redirect answer. Redirects are refused: the SDK's
// http.Client would follow them with the request re-signed for nobody, to a
// host nobody configured, possibly from HTTPS to plain HTTP; the endpoint
// is where requests go, or nowhere. It does not heal by retrying.
type RedirectError struct {
	StatusCode int
	// Location is where the answer pointed, scheme and host only: its query
	// may echo the signed request.
	Location string
}

func (e *RedirectError) Error() string {
	to := ""
	if e.Location != "" {
		to = " to " + e.Location
	}
	return fmt.Sprintf("the endpoint redirects (HTTP %d%s); redirects are not followed: requests go to the configured endpoint only", e.StatusCode, to)
}

// redirectOf is the RedirectError for an answer http.Client would follow,
// or nil.
func redirectOf(resp *http.Response) *RedirectError {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil
	}
	e := &RedirectError{StatusCode: resp.StatusCode}
	if loc, err := resp.Location(); err == nil {
		e.Location = snippet(loc.Scheme+"://"+loc.Host, 200)
	}
	return e
}

// ErrAnswerTooLarge is returned when an answer exceeds MaxAnswerBytes.
var ErrAnswerTooLarge = errors.New("answer too large")

// boundedBody stops reading past the limit with a clear error instead of
// buffering whatever a hostile or broken endpoint sends, and releases the
// attempt's context when the SDK closes it.
type boundedBody struct {
	rc        io.ReadCloser
	remaining int64
	limit     int64
	done      func()
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.remaining <= 0 {
		// One more byte tells "exactly the limit" from "over the limit".
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", ErrAnswerTooLarge, b.limit)
		}
		return 0, err
	}
	if int64(len(p)) > b.remaining {
		p = p[:b.remaining]
	}
	n, err := b.rc.Read(p)
	b.remaining -= int64(n)
	return n, err
}

func (b *boundedBody) Close() error {
	err := b.rc.Close()
	if b.done != nil {
		b.done()
		b.done = nil
	}
	return err
}
