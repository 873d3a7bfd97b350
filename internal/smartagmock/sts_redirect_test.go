package smartagmock

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// noFollow sends one request and returns the answer as is.
var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestSTSRedirect_everySTSRequestIsRedirected(t *testing.T) {
	const target = "http://127.0.0.1:9/collect"
	s := startServer(t, Options{STSRedirect: target})
	now := time.Now()
	for name, query := range map[string]string{
		"AssumeRole, signed": encodeParams(baseParams(t, "AssumeRole", "2015-04-01", SampleAccessKeyID, now), false),
		"AssumeRoleWithOIDC": encodeParams(map[string]string{"Action": "AssumeRoleWithOIDC", "Version": "2015-04-01", "Format": "JSON",
			"Timestamp": now.UTC().Format("2006-01-02T15:04:05Z")}, false),
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := noFollow.Post(s.URL+"/?"+query, "application/x-www-form-urlencoded", strings.NewReader("OIDCToken=secret"))
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != target {
				t.Fatalf("got %d to %q, want 307 to %s", resp.StatusCode, resp.Header.Get("Location"), target)
			}
		})
	}
	if n := s.Count("AssumeRole") + s.Count("AssumeRoleWithOIDC"); n != 2 {
		t.Errorf("the mock counted %d STS requests, want 2", n)
	}

	// Smartag actions are not redirected.
	rawCall{method: http.MethodGet, params: describeParams(t, SampleInstanceID, "alice"), secret: SampleAccessKeySecret}.do(t, s.URL).wantOnline(t)
}

func TestSTSRedirect_mustBeAnAbsoluteURL(t *testing.T) {
	for _, bad := range []string{"elsewhere", "ftp://x/", "http://"} {
		if _, err := NewHandler(Options{STSRedirect: bad}); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
