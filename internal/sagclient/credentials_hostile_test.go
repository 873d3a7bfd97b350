package sagclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// hostileCredentialSources are every credential source and profile mode
// that calls the network, pointed at endpoint (host:port, HTTPS).
func hostileCredentialSources(t *testing.T, endpoint string) map[string]CredentialsConfig {
	t.Helper()
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("eyJhbGciOiJSUzI1NiJ9.the-oidc-token.sig"), 0o600); err != nil {
		t.Fatal(err)
	}
	profiles := filepath.Join(dir, "config.json")
	if err := os.WriteFile(profiles, fmt.Appendf(nil, `{"profiles":[
 {"name":"ak","mode":"AK","access_key_id":"AK-BASE","access_key_secret":"base-secret"},
 {"name":"role","mode":"RamRoleArn","access_key_id":"AK-ROLE","access_key_secret":"role-secret","ram_role_arn":"acs:ram::1:role/r","external_id":"ext-1"},
 {"name":"chain","mode":"ChainableRamRoleArn","source_profile":"ak","ram_role_arn":"acs:ram::1:role/next"},
 {"name":"oidc","mode":"OIDC","oidc_provider_arn":"acs:ram::1:oidc-provider/p","oidc_token_file":%q,"ram_role_arn":"acs:ram::1:role/r"},
 {"name":"ecs","mode":"EcsRamRole","ram_role_name":"auditor"},
 {"name":"uri","mode":"CredentialsURI","credentials_uri":"https://%s/creds?token=uri-secret"}
]}`, token, endpoint), 0o600); err != nil {
		t.Fatal(err)
	}
	profile := func(name string) CredentialsConfig {
		return CredentialsConfig{ProfileFile: profiles, Profile: name, STSEndpoint: endpoint}
	}
	return map[string]CredentialsConfig{
		"assume_role": {AccessKeyID: "AK-BASE", AccessKeySecret: "base-secret", STSEndpoint: endpoint,
			AssumeRole: &AssumeRoleConfig{RoleARN: "acs:ram::1:role/r", ExternalID: "ext-1", Policy: `{"Version":"1"}`}},
		"assume_role_with_oidc": {STSEndpoint: endpoint,
			OIDC: &OIDCConfig{ProviderARN: "acs:ram::1:oidc-provider/p", TokenFile: token, RoleARN: "acs:ram::1:role/r"}},
		"credentials_uri":             {CredentialsURI: "https://" + endpoint + "/creds?token=uri-secret"},
		"ecs_role_name":               {ECSRoleName: "auditor"},
		"profile RamRoleArn":          profile("role"),
		"profile ChainableRamRoleArn": profile("chain"),
		"profile OIDC":                profile("oidc"),
		"profile EcsRamRole":          profile("ecs"),
		"profile CredentialsURI":      profile("uri"),
	}
}

// metadataAt points the ECS source at srv instead of 100.100.100.200.
func metadataAt(t *testing.T, srv *httptest.Server, h *credentialHTTP) {
	t.Helper()
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	orig := newECSRoleProvider
	newECSRoleProvider = func(role string) (credentialSource, error) {
		return &ecsRoleSource{role: role, base: base, http: h}, nil
	}
	t.Cleanup(func() { newECSRoleProvider = orig })
}

// countingServer counts the requests it receives.
func countingServer(t *testing.T, tls bool, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		handler(w, r)
	})
	srv := httptest.NewUnstartedServer(h)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &hits
}

// Every credential source refuses a redirect: the read fails with an error
// naming the source, and the redirect target receives nothing, neither
// the OIDC token nor a signed AssumeRole.
func TestCredentials_everySourceRefusesRedirects(t *testing.T) {
	target, stolen := countingServer(t, false, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"Code":"Success","AccessKeyId":"STS.evil","AccessKeySecret":"evil","SecurityToken":"evil",`+
			`"Expiration":"2099-01-01T00:00:00Z","Credentials":{"AccessKeyId":"STS.evil","AccessKeySecret":"evil","SecurityToken":"evil","Expiration":"2099-01-01T00:00:00Z"}}`)
	})
	redirector, asked := countingServer(t, true, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/collect", http.StatusTemporaryRedirect)
	})
	h := newCredentialHTTPWith(redirector.Client().Transport, credentialTimeouts{connect: 5 * time.Second, read: 5 * time.Second})
	metadataAt(t, redirector, h)
	endpoint := strings.TrimPrefix(redirector.URL, "https://")

	for name, cfg := range hostileCredentialSources(t, endpoint) {
		t.Run(name, func(t *testing.T) {
			before := asked.Load()
			resolved, err := resolveCredentials(cfg, h, newScrubber())
			if err != nil {
				t.Fatal(err)
			}
			_, err = resolved.provider.Get(context.Background())
			var credErr *CredentialError
			var redirect *RedirectError
			if !errors.As(err, &credErr) || !errors.As(err, &redirect) {
				t.Fatalf("want a CredentialError for the redirect, got %v", err)
			}
			if credErr.Source != resolved.source || !strings.Contains(err.Error(), resolved.source) {
				t.Errorf("the error must name the source %q: %v", resolved.source, err)
			}
			if redirect.StatusCode != http.StatusTemporaryRedirect || redirect.Location != target.URL {
				t.Errorf("redirect %+v, want 307 to %s", redirect, target.URL)
			}
			for _, leak := range []string{"uri-secret", "collect", "Signature"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("the error quotes %q: %v", leak, err)
				}
			}
			if asked.Load() == before {
				t.Error("the endpoint under test was never called")
			}
		})
	}
	if n := stolen.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
}

// countingTransport counts the bytes read from answer bodies.
type countingTransport struct {
	base http.RoundTripper
	read atomic.Int64
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// A gigabyte of padding before valid credentials is refused after the
// first MiB: the answer is never read whole.
func TestCredentials_everySourceRefusesAnswersOverOneMiB(t *testing.T) {
	const padding = 1 << 30
	var written atomic.Int64
	huge, _ := countingServer(t, true, func(w http.ResponseWriter, _ *http.Request) {
		chunk := []byte(strings.Repeat(" ", 64<<10))
		_, _ = io.WriteString(w, `{"RequestId":"r",`)
		for written.Load() < padding {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return // the client hung up
			}
		}
		_, _ = io.WriteString(w, `"Code":"Success","Credentials":{"AccessKeyId":"STS.k","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T00:00:00Z"}}`)
	})
	counting := &countingTransport{base: huge.Client().Transport}
	h := newCredentialHTTPWith(counting, credentialTimeouts{connect: 5 * time.Second, read: time.Minute})
	metadataAt(t, huge, h)

	for name, cfg := range hostileCredentialSources(t, strings.TrimPrefix(huge.URL, "https://")) {
		t.Run(name, func(t *testing.T) {
			counting.read.Store(0)
			resolved, err := resolveCredentials(cfg, h, newScrubber())
			if err != nil {
				t.Fatal(err)
			}
			_, err = resolved.provider.Get(context.Background())
			var credErr *CredentialError
			if !errors.As(err, &credErr) || !errors.Is(err, ErrAnswerTooLarge) || !strings.Contains(err.Error(), resolved.source) {
				t.Fatalf("want a CredentialError naming %q for the oversized answer, got %v", resolved.source, err)
			}
			if n := counting.read.Load(); n > maxCredentialsAnswer+1 {
				t.Errorf("read %d bytes of the answer, want at most %d", n, maxCredentialsAnswer+1)
			}
		})
	}
}

// The signed AssumeRole and the anonymous AssumeRoleWithOIDC are the
// requests the service (here the mock, which verifies signatures, nonces
// and timestamps like it) accepts.
func TestCredentials_stsCallsAreAcceptedByTheService(t *testing.T) {
	cert, pemBytes, err := smartagmock.NewSelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	fx := smartagmock.SampleFixture()
	const provider, token, oidcRole = "acs:ram::1234567890123456:oidc-provider/ci", "eyJhbGciOiJSUzI1NiJ9.ci-token.sig", "acs:ram::1234567890123456:role/ci"
	fx.OIDCProviders = append(fx.OIDCProviders, smartagmock.OIDCProvider{ARN: provider, Tokens: []string{token}})
	fx.Roles = append(fx.Roles, smartagmock.Role{RoleARN: oidcRole, OIDCProviderARN: provider})
	srv, err := smartagmock.StartTLS(smartagmock.Options{Fixture: fx}, cert)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pemBytes)
	tr := credentialTransport(5*time.Second, nil)
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	h := newCredentialHTTPWith(tr, credentialTimeouts{})

	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]CredentialsConfig{
		"AssumeRole": {AccessKeyID: smartagmock.SampleAccessKeyID, AccessKeySecret: smartagmock.SampleAccessKeySecret,
			STSEndpoint: srv.URL, AssumeRole: &AssumeRoleConfig{RoleARN: smartagmock.SampleRoleARN, Policy: `{"Statement": [ ]}`}},
		"AssumeRole with an STS token": {AccessKeyID: smartagmock.SampleStsAccessKeyID, AccessKeySecret: smartagmock.SampleStsAccessKeySecret,
			SecurityToken: smartagmock.SampleStsSecurityToken, STSEndpoint: srv.Endpoint, AssumeRole: &AssumeRoleConfig{RoleARN: smartagmock.SampleRoleARN}},
		"AssumeRoleWithOIDC": {STSEndpoint: srv.Endpoint, OIDC: &OIDCConfig{ProviderARN: provider, TokenFile: tokenFile, RoleARN: oidcRole}},
	} {
		t.Run(name, func(t *testing.T) {
			resolved, err := resolveCredentials(cfg, h, newScrubber())
			if err != nil {
				t.Fatal(err)
			}
			cc, err := resolved.provider.Get(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(cc.AccessKeyId, "STS.") || cc.AccessKeySecret == "" || cc.SecurityToken == "" {
				t.Errorf("got %+v", cc)
			}
			if got := resolved.provider.scrub.scrub(cc.SecurityToken); got != "REDACTED" {
				t.Errorf("the issued token is not registered with the scrubber: %q", got)
			}
		})
	}
}
