package sagclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func uriServer(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func uriAnswer(expiration time.Time) string {
	return fmt.Sprintf(`{"Code":"Success","AccessKeyId":"STS.uri","AccessKeySecret":"uri+secret/=","SecurityToken":"uri-token+/=","Expiration":%q}`,
		expiration.UTC().Format("2006-01-02T15:04:05Z"))
}

func TestURICredentials_fetchesAndRenewsBeforeExpiration(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, calls := uriServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(uriAnswer(now.Add(time.Hour))))
	})
	p, err := newURICredentialsProvider(srv.URL+"/creds?token=query-secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	p.cache.now = func() time.Time { return now }
	cc, err := p.credentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cc.AccessKeyId != "STS.uri" || cc.AccessKeySecret != "uri+secret/=" || cc.SecurityToken != "uri-token+/=" {
		t.Errorf("got %+v", cc)
	}
	if _, err := p.credentials(context.Background()); err != nil || calls.Load() != 1 {
		t.Errorf("cached credentials: %d calls, %v", calls.Load(), err)
	}
	p.cache.now = func() time.Time { return now.Add(time.Hour - time.Minute) }
	if _, err := p.credentials(context.Background()); err != nil || calls.Load() != 2 {
		t.Errorf("credentials about to expire are renewed: %d calls, %v", calls.Load(), err)
	}
}

func TestURICredentials_failuresNameTheHostOnly(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"HTTP 500": func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", 500) },
		`Code "Failed"`: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"Code":"Failed"}`))
		},
		"without AccessKeyId": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"Code":"Success"}`))
		},
		"did not answer JSON": func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>")) },
		"HTTP 307": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Location", "http://elsewhere.example/")
			w.WriteHeader(http.StatusTemporaryRedirect)
		},
	}
	for want, handler := range cases {
		t.Run(want, func(t *testing.T) {
			srv, _ := uriServer(t, handler)
			p, err := newURICredentialsProvider(srv.URL+"/path-secret?token=query-secret", nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.credentials(context.Background())
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("want an error containing %q, got %v", want, err)
			}
			if strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), srv.URL) {
				t.Errorf("the error must name the host, not the path or query: %v", err)
			}
		})
	}
}

func TestURICredentials_transportErrorNamesTheHostOnly(t *testing.T) {
	srv, _ := uriServer(t, func(http.ResponseWriter, *http.Request) {})
	srv.Close()
	p, err := newURICredentialsProvider(srv.URL+"/creds?token=query-secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.credentials(context.Background())
	var te *TransportError
	if !errors.As(err, &te) || strings.Contains(err.Error(), "query-secret") {
		t.Fatalf("want a TransportError without the query, got %v", err)
	}
}

func TestURICredentials_refusesOtherSchemes(t *testing.T) {
	for _, raw := range []string{"file:///etc/passwd", "localhost:8080/creds", "://"} {
		if _, err := newURICredentialsProvider(raw, nil); err == nil {
			t.Errorf("%q: want an error", raw)
		}
	}
}
