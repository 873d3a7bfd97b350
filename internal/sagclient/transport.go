package sagclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// newBaseTransport is shared by every SDK client of one Client, so that
// connections are reused across concurrent reads. Terraform reads up to ten
// data sources at once by default: keep more than that many idle connections
// per host.
func newBaseTransport(connectTimeout time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   connectTimeout,
		ExpectContinueTimeout: time.Second,
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
	resp.Body = &boundedBody{rc: resp.Body, remaining: t.maxBytes, limit: t.maxBytes, done: done}
	return resp, nil
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
