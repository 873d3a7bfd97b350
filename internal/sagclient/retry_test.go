package sagclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"
)

func TestBackoffDelayIsBoundedExponentialWithJitter(t *testing.T) {
	b := Backoff{Base: 500 * time.Millisecond, Max: 16 * time.Second, Rand: func() float64 { return 0.999999 }}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 16 * time.Second}
	for n, ceiling := range want {
		got := b.Delay(n)
		if got > ceiling || got < ceiling*99/100 {
			t.Errorf("Delay(%d) = %v, want just under %v", n, got, ceiling)
		}
	}
	if got := b.Delay(200); got > b.Max {
		t.Errorf("Delay(200) = %v overflows past Max", got)
	}
	b.Rand = func() float64 { return 0 }
	if got := b.Delay(3); got != 0 {
		t.Errorf("full jitter can wait 0, got %v", got)
	}
	b.Rand = nil
	for range 100 {
		if d := b.Delay(2); d < 0 || d > 2*time.Second {
			t.Fatalf("random Delay(2) = %v out of [0, 2s]", d)
		}
	}
}

func TestRetryable(t *testing.T) {
	cases := map[error]bool{
		&APIError{Code: "Throttling", StatusCode: 400}:                                                                   true,
		&APIError{Code: "Throttling.User", StatusCode: 400}:                                                              true,
		&APIError{Code: "Throttling.Api", StatusCode: 503}:                                                               true,
		&APIError{Code: "ServiceUnavailable", StatusCode: 503}:                                                           true,
		&APIError{Code: "InternalError", StatusCode: 500}:                                                                true,
		&APIError{Code: "", StatusCode: 504}:                                                                             true,
		&APIError{Code: "", StatusCode: 501}:                                                                             false,
		&APIError{Code: "InternalError", StatusCode: 501}:                                                                true,
		&APIError{Code: "SAG.InstanceNoFound", StatusCode: 400}:                                                          false,
		&APIError{Code: "SignatureDoesNotMatch", StatusCode: 400}:                                                        false,
		&APIError{Code: "Forbidden.RAM", StatusCode: 403}:                                                                false,
		&TransportError{Err: errors.New("connection refused")}:                                                           true,
		&TransportError{Err: fmt.Errorf("x: %w", ErrAnswerTooLarge)}:                                                     false,
		&TransportError{Err: &RedirectError{StatusCode: 307}}:                                                            false,
		&TransportError{Err: &ProxyError{StatusCode: 407}}:                                                               false,
		&TransportError{Err: &ProxyError{StatusCode: 403}}:                                                               false,
		&TransportError{Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}:                       false,
		&TransportError{Err: &tls.CertificateVerificationError{Err: x509.HostnameError{Host: "other.example"}}}:          false,
		&TransportError{Err: &tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.Expired}}}: false,
		&TransportError{Err: x509.UnknownAuthorityError{}}:                                                               false,
		&TransportError{Err: &net.OpError{Op: "proxyconnect", Err: syscall.ECONNREFUSED}}:                                false,
		&TransportError{Err: &net.OpError{Op: "proxyconnect", Err: &net.DNSError{IsNotFound: true}}}:                     false,
		&TransportError{Err: &net.OpError{Op: "proxyconnect", Err: errors.New("i/o timeout")}}:                           true,
		&TransportError{Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}:                                        true,
		&CredentialError{Err: &TransportError{Err: x509.UnknownAuthorityError{}}}:                                        false,
		&CredentialError{Err: &TransportError{Err: errors.New("connection reset")}}:                                      true,
		&DecodeError{Err: errors.New("unexpected EOF")}:                                                                  false,
		errors.New("anything else"):                                                                                      false,
		&RetriesExhaustedError{Err: &APIError{Code: "SAG.InstanceNoFound"}}:                                              false,
	}
	for err, want := range cases {
		if got := retryable(err); got != want {
			t.Errorf("retryable(%v) = %v, want %v", err, got, want)
		}
	}
}
