package sagclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// Backoff is exponential backoff with full jitter: before retry n (from 0)
// the client waits a random duration in [0, min(Max, Base·2ⁿ)]. Full jitter
// spreads the retries of many concurrent reads, which is what throttling
// needs.
type Backoff struct {
	Base time.Duration
	Max  time.Duration
	// Rand returns a float in [0, 1); nil means math/rand/v2.
	Rand func() float64
}

// defaultBackoff waits up to 0.5s, 1s, 2s, 4s, 8s, then at most 16s.
func defaultBackoff() Backoff {
	return Backoff{Base: 500 * time.Millisecond, Max: 16 * time.Second}
}

// Delay is the wait before retry n (0 for the first retry).
func (b Backoff) Delay(n int) time.Duration {
	ceiling := b.Max
	if n < 32 {
		if d := b.Base << n; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	r := rand.Float64
	if b.Rand != nil {
		r = b.Rand
	}
	return time.Duration(r() * float64(ceiling))
}

// retryable reports whether an error is worth another, freshly signed,
// attempt: throttling, transient server failures, any 5xx but 501 (Not
// Implemented) and transport errors, a per-attempt timeout included. Client
// errors (a bad ID, a bad signature) never are, nor transport errors that
// no retry can heal: see permanentTransportError. Whether the caller's own
// context has ended is the caller's check, made before this one.
func retryable(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		switch {
		case strings.HasPrefix(apiErr.Code, "Throttling"),
			apiErr.Code == "ServiceUnavailable",
			apiErr.Code == "InternalError",
			apiErr.StatusCode >= 500 && apiErr.StatusCode != http.StatusNotImplemented:
			return true
		}
		return false
	}
	var transportErr *TransportError
	if errors.As(err, &transportErr) {
		return !permanentTransportError(transportErr.Err)
	}
	return false
}

// permanentTransportError reports failures that come back the same on every
// attempt: an answer over the size limit, a redirect, a certificate the
// client does not trust (unknown authority, another host's, expired), and a
// proxy that refuses the tunnel or does not listen.
func permanentTransportError(err error) bool {
	var (
		redirectErr *RedirectError
		proxyErr    *ProxyError
	)
	return errors.Is(err, ErrAnswerTooLarge) ||
		errors.As(err, &redirectErr) ||
		errors.As(err, &proxyErr) ||
		isCertificateError(err) ||
		isProxyUnreachable(err)
}

func isCertificateError(err error) bool {
	var (
		verifyErr    *tls.CertificateVerificationError
		authorityErr x509.UnknownAuthorityError
		hostnameErr  x509.HostnameError
		invalidErr   x509.CertificateInvalidError
		rootsErr     x509.SystemRootsError
	)
	return errors.As(err, &verifyErr) || errors.As(err, &authorityErr) || errors.As(err, &hostnameErr) ||
		errors.As(err, &invalidErr) || errors.As(err, &rootsErr)
}

// isProxyUnreachable is a proxy that refuses connections or whose name does
// not resolve: HTTP(S)_PROXY names the wrong host or port. net/http marks
// every failure to reach the proxy with the operation "proxyconnect".
func isProxyUnreachable(err error) bool {
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Op != "proxyconnect" {
		return false
	}
	var dnsErr *net.DNSError
	return errors.Is(opErr.Err, syscall.ECONNREFUSED) || errors.As(opErr.Err, &dnsErr) && dnsErr.IsNotFound
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
