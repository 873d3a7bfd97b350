package sagclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRedirectsAreRefusedAndNotRetried(t *testing.T) {
	elsewhere := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(twoClients) })
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			f := newFakeEndpoint(t, func(int, *http.Request) answer {
				// The query echoes a signed request, as a proxy's might.
				return answer{status: status, header: map[string]string{"Location": elsewhere.URL + "/?Signature=abc&SecurityToken=" + testToken}}
			})
			_, err := describe(t, newTestClient(t, f.endpoint(t)))
			var redirect *RedirectError
			if !errors.As(err, &redirect) || redirect.StatusCode != status || redirect.Location != elsewhere.URL {
				t.Fatalf("want a RedirectError to %s, got %T %v", elsewhere.URL, err, err)
			}
			var transportErr *TransportError
			if !errors.As(err, &transportErr) {
				t.Errorf("a refused redirect is a TransportError, got %T", err)
			}
			if f.count() != 1 {
				t.Errorf("a redirect was retried: %d requests", f.count())
			}
			for _, leak := range []string{"Signature", testToken} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("the error quotes the redirect's query (%q): %v", leak, err)
				}
			}
		})
	}
	if elsewhere.count() != 0 {
		t.Errorf("a redirect was followed: %d requests reached its target", elsewhere.count())
	}
}

func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(twoClients))
	}))
	t.Cleanup(srv.Close)
	ep, err := ParseEndpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, err = describe(t, newTestClient(t, &ep))
	var verifyErr *tls.CertificateVerificationError
	if !errors.As(err, &verifyErr) {
		t.Fatalf("want a certificate verification error, got %T %v", err, err)
	}
	var exhausted *RetriesExhaustedError
	if errors.As(err, &exhausted) {
		t.Errorf("a certificate error was retried: %v", err)
	}
}

// roundTripVia sends one request through the base transport with a proxy.
func roundTripVia(t *testing.T, proxy *url.URL, target string) error {
	t.Helper()
	tr := newBaseTransport(5 * time.Second)
	tr.Proxy = http.ProxyURL(proxy)
	t.Cleanup(tr.CloseIdleConnections)
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tr.RoundTrip(req)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("the request through %s succeeded", proxy.Redacted())
	}
	return err
}

func TestProxyRefusingTheTunnelIsAProxyErrorNotRetried(t *testing.T) {
	for status, text := range map[int]string{407: "Proxy Authentication Required", 403: "Forbidden"} {
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodConnect {
				t.Errorf("the proxy got %s, want CONNECT", r.Method)
			}
			w.WriteHeader(status)
		}))
		t.Cleanup(proxy.Close)
		proxyURL, err := url.Parse(proxy.URL)
		if err != nil {
			t.Fatal(err)
		}
		proxyURL.User = url.UserPassword("me", "proxy-password")

		err = roundTripVia(t, proxyURL, "https://smartag.cn-shanghai.aliyuncs.com/")
		var proxyErr *ProxyError
		if !errors.As(err, &proxyErr) || proxyErr.StatusCode != status || !strings.Contains(proxyErr.Status, text) {
			t.Fatalf("want a ProxyError %d, got %T %v", status, err, err)
		}
		if proxyErr.Target != "smartag.cn-shanghai.aliyuncs.com:443" || proxyErr.Proxy != "http://"+proxyURL.Host {
			t.Errorf("got proxy %q, target %q", proxyErr.Proxy, proxyErr.Target)
		}
		if strings.Contains(err.Error(), "proxy-password") {
			t.Errorf("the error carries the proxy's password: %v", err)
		}
		if retryable(&TransportError{Err: err}) {
			t.Errorf("a refused tunnel (%d) must not be retried", status)
		}
	}
}

func TestProxyThatDoesNotListenIsNotRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()

	err = roundTripVia(t, &url.URL{Scheme: "http", Host: addr}, "https://smartag.cn-shanghai.aliyuncs.com/")
	if retryable(&TransportError{Err: err}) {
		t.Errorf("a proxy that refuses connections must not be retried: %v", err)
	}
}

func TestCertificateForAnotherHostIsNotRetried(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	tr := newBaseTransport(5 * time.Second)
	// Trusted, but issued for 127.0.0.1 and example.com, not for localhost.
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	t.Cleanup(tr.CloseIdleConnections)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	req, err := http.NewRequest(http.MethodGet, "https://localhost:"+port+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tr.RoundTrip(req)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatal("the certificate of another host was accepted")
	}
	var hostnameErr x509.HostnameError
	if !errors.As(err, &hostnameErr) {
		t.Fatalf("want a HostnameError, got %T %v", err, err)
	}
	if retryable(&TransportError{Err: err}) {
		t.Errorf("a certificate for another host must not be retried: %v", err)
	}
}
