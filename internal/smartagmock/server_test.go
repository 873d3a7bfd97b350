package smartagmock

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestSelfSignedCertificate(t *testing.T) {
	cert, certPEM, err := NewSelfSignedCertificate("mock.internal", "10.1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("not a certificate PEM: %q", certPEM)
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !leaf.IsCA || leaf.PublicKeyAlgorithm != x509.ECDSA {
		t.Fatalf("IsCA=%v alg=%v", leaf.IsCA, leaf.PublicKeyAlgorithm)
	}
	now := time.Now()
	if !leaf.NotBefore.Before(now.Add(-23*time.Hour)) || !leaf.NotAfter.After(now.AddDate(0, 11, 0)) {
		t.Fatalf("validity %v..%v", leaf.NotBefore, leaf.NotAfter)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	for _, host := range []string{"127.0.0.1", "::1", "localhost", "mock.internal", "10.1.2.3"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: pool}); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
	if cert.Leaf == nil || len(cert.Certificate) != 1 {
		t.Fatal("tls.Certificate incomplete")
	}
}

func TestStartTLSServesWithTrustedPEM(t *testing.T) {
	cert, certPEM, err := NewSelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	s, err := StartTLS(Options{}, cert)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	p := describeParams(t, SampleInstanceID, "alice")
	p["Signature"] = testSign(http.MethodGet, p, SampleAccessKeySecret)
	resp, err := client.Get(s.URL + "/?" + encodeParams(p, false))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	s.Close()
	s.Close() // idempotent
	if resp, err := client.Get(s.URL + "/"); err == nil {
		resp.Body.Close()
		t.Fatal("server still answering after Close")
	}
}

func TestListenAndServeStopsOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- ListenAndServe(ctx, ln, h, nil) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/?Format=JSON")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400 MissingParameter", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("ListenAndServe: %v", err)
		}
	case <-time.After(shutdownGrace):
		t.Fatal("ListenAndServe did not stop")
	}
}
