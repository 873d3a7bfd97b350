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

// maxCredentialsAnswer bounds every answer of a credentials endpoint (STS,
// the ECS metadata service, a credentials URI): a few hundred bytes of
// credentials, so 1 MiB is plenty, and a hostile endpoint streaming
// gigabytes costs no more than that.
const maxCredentialsAnswer = 1 << 20

// Timeouts of the ECS metadata service, the SDK's: it answers on the
// instance itself, or not at all.
const (
	metadataConnectTimeout = time.Second
	metadataReadTimeout    = time.Second
)

// credentialHTTP is the only way credentials are fetched over the network.
// The SDK's credential providers build an http.Client of their own that
// follows redirects, reads answers whole and takes no context; this one
// refuses redirects (so a redirect target receives nothing: no OIDC token,
// no signed AssumeRole), stops reading at maxCredentialsAnswer, and ends
// each request at the first of its context and connect + read timeout.
type credentialHTTP struct {
	client   *http.Client
	maxBytes int64
}

// credentialTimeouts are the client timeouts the credential calls share
// with the Smartag requests.
type credentialTimeouts struct {
	connect, read time.Duration
}

func (t credentialTimeouts) withDefaults() credentialTimeouts {
	if t.connect <= 0 {
		t.connect = DefaultConnectTimeout
	}
	if t.read <= 0 {
		t.read = DefaultReadTimeout
	}
	return t
}

// newCredentialHTTP proxies as the Smartag requests do (HTTPS_PROXY,
// HTTP_PROXY, NO_PROXY).
func newCredentialHTTP(t credentialTimeouts) *credentialHTTP {
	t = t.withDefaults()
	return newCredentialHTTPWith(credentialTransport(t.connect, http.ProxyFromEnvironment), t)
}

// newMetadataHTTP never uses a proxy: the metadata service answers only on
// the instance itself, and through a proxy a request would reach the
// metadata service of the proxy's host, whose role credentials would then
// sign our requests.
func newMetadataHTTP() *credentialHTTP {
	t := credentialTimeouts{connect: metadataConnectTimeout, read: metadataReadTimeout}
	return newCredentialHTTPWith(credentialTransport(t.connect, nil), t)
}

func credentialTransport(connect time.Duration, proxy func(*http.Request) (*url.URL, error)) *http.Transport {
	return &http.Transport{
		Proxy:                  proxy,
		DialContext:            (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:    connect,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           10,
		IdleConnTimeout:        90 * time.Second,
		OnProxyConnectResponse: refusedTunnel,
	}
}

// newCredentialHTTPWith uses rt (tests wrap it to watch the traffic).
func newCredentialHTTPWith(rt http.RoundTripper, t credentialTimeouts) *credentialHTTP {
	t = t.withDefaults()
	return &credentialHTTP{
		client: &http.Client{
			Transport: rt,
			Timeout:   t.connect + t.read,
			// The redirect answer itself comes back; do turns it into a
			// RedirectError. Nothing is sent where it points.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		maxBytes: maxCredentialsAnswer,
	}
}

// credentialAnswer is a credentials endpoint's answer, read whole (it is
// small, or refused).
type credentialAnswer struct {
	status    int
	requestID string
	body      []byte
}

// do sends req under ctx. where names the endpoint (scheme and host only)
// in errors: the URL's path or query may carry a secret, and a signed STS
// URL always does.
func (h *credentialHTTP) do(ctx context.Context, req *http.Request, where string) (*credentialAnswer, error) {
	resp, err := h.client.Do(req.WithContext(ctx))
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, &TransportError{Endpoint: where, Err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	if redirect := redirectOf(resp); redirect != nil {
		return nil, &TransportError{Endpoint: where, Err: redirect}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, h.maxBytes+1))
	if err != nil {
		return nil, &TransportError{Endpoint: where, Err: err}
	}
	if int64(len(body)) > h.maxBytes {
		return nil, &TransportError{Endpoint: where, Err: fmt.Errorf("%w: more than %d bytes", ErrAnswerTooLarge, h.maxBytes)}
	}
	return &credentialAnswer{status: resp.StatusCode, requestID: resp.Header.Get("x-acs-request-id"), body: body}, nil
}

// hostOf is a URL's scheme and host, for errors.
func hostOf(u *url.URL) string { return u.Scheme + "://" + u.Host }
