package provider

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// redirectTarget is where a hostile endpoint redirects to; it counts what
// reaches it and would answer credentials of its own.
func redirectTarget(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = fmt.Fprint(w, `{"Code":"Success","AccessKeyId":"STS.stolen","AccessKeySecret":"x","SecurityToken":"y","Expiration":"2099-01-01T00:00:00Z"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// An STS that answers 307 to a plain-HTTP address: for every way of
// calling STS the read fails naming the credential source, the target
// receives nothing (no RoleArn, ExternalId, Policy, no OIDC token), and no
// Smartag request is signed with anything.
func TestAccCredentials_stsRedirectIsRefused(t *testing.T) {
	isolateEnv(t)
	target, stolen := redirectTarget(t)
	srv := startTLSMock(t, smartagmock.Options{STSRedirect: target.URL + "/collect"})

	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("eyJhbGciOiJSUzI1NiJ9.the-oidc-token.sig"), 0o600); err != nil {
		t.Fatal(err)
	}
	profiles := filepath.Join(dir, "config.json")
	if err := os.WriteFile(profiles, fmt.Appendf(nil, `{"profiles":[
 {"name":"role","mode":"RamRoleArn","access_key_id":%q,"access_key_secret":%q,"ram_role_arn":%q},
 {"name":"oidc","mode":"OIDC","oidc_provider_arn":"acs:ram::1234567890123456:oidc-provider/ci","oidc_token_file":%q,"ram_role_arn":%q}
]}`, smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret, smartagmock.SampleRoleARN, token, smartagmock.SampleRoleARN), 0o600); err != nil {
		t.Fatal(err)
	}
	withoutKey := func(lines string) string {
		return fmt.Sprintf("provider \"smartag\" {\n  endpoint = %q\n  region = %q\n  sts_endpoint = %q\n%s\n}\n",
			srv.URL, smartagmock.SampleRegion, srv.URL, lines)
	}
	cases := map[string]struct{ config, source string }{
		"assume_role": {providerBlock(srv, fmt.Sprintf(`
  sts_endpoint = %q
  assume_role {
    role_arn    = %q
    external_id = "audit-2026"
    policy      = jsonencode({ Version = "1", Statement = [] })
  }`, srv.Endpoint, smartagmock.SampleRoleARN)), `assume_role\(static access key\)`},
		"assume_role_with_oidc": {withoutKey(fmt.Sprintf(`
  assume_role_with_oidc {
    oidc_provider_arn = "acs:ram::1234567890123456:oidc-provider/ci"
    oidc_token_file   = %q
    role_arn          = %q
  }`, token, smartagmock.SampleRoleARN)), `AssumeRoleWithOIDC\s+acs:ram::`},
		"profile RamRoleArn": {withoutKey(fmt.Sprintf("  shared_credentials_file = %q\n  profile = \"role\"", profiles)), `profile "role" \(RamRoleArn\)`},
		"profile OIDC":       {withoutKey(fmt.Sprintf("  shared_credentials_file = %q\n  profile = \"oidc\"", profiles)), `profile "oidc" \(OIDC\)`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv.Reset()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: tc.config + aliceOnly,
					ExpectError: regexp.MustCompile(`(?s)Could not obtain Alibaba Cloud credentials.*` + tc.source +
						`.*redirects \(HTTP 307\s+to\s+` + regexp.QuoteMeta(target.URL)),
				}},
			})
			if n := srv.Count("AssumeRole") + srv.Count("AssumeRoleWithOIDC"); n == 0 {
				t.Error("STS was never called")
			}
			if n := srv.Count("DescribeUserOnlineClients"); n != 0 {
				t.Errorf("%d Smartag requests were sent without credentials", n)
			}
		})
	}
	if n := stolen.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
}

// The same for a credentials URI that redirects.
func TestAccCredentials_credentialsURIRedirectIsRefused(t *testing.T) {
	isolateEnv(t)
	target, stolen := redirectTarget(t)
	var asked atomic.Int32
	uri := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.Redirect(w, r, target.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(uri.Close)
	srv := startMock(t, smartagmock.Options{})
	config := fmt.Sprintf("provider \"smartag\" {\n  endpoint = %q\n  region = %q\n  credentials_uri = %q\n}\n",
		srv.URL, smartagmock.SampleRegion, uri.URL+"/creds?token=uri-secret") + aliceOnly
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ExpectError: regexp.MustCompile(`(?s)Could not obtain Alibaba Cloud credentials.*credentials URI\s+` +
				regexp.QuoteMeta(uri.URL) + `.*redirects \(HTTP 307\s+to\s+` + regexp.QuoteMeta(target.URL)),
		}},
	})
	if asked.Load() == 0 {
		t.Error("the credentials URI was never called")
	}
	if n := stolen.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
	if n := srv.Count("DescribeUserOnlineClients"); n != 0 {
		t.Errorf("%d Smartag requests were sent", n)
	}
}

// An STS that accepts connections and never answers: the read ends at
// timeouts.read with an error that names the credential source and STS,
// not a Smartag request "stopped after 0 attempts".
func TestAccCredentials_hungSTSNamesTheCredentialSource(t *testing.T) {
	isolateEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	srv := startMock(t, smartagmock.Options{})
	config := providerBlock(srv, fmt.Sprintf(`
  sts_endpoint           = "https://%s"
  client_connect_timeout = 60000
  client_read_timeout    = 60000
  assume_role {
    role_arn = %q
  }`, ln.Addr(), smartagmock.SampleRoleARN)) + aliceWithReadTimeout("3s")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ExpectError: regexp.MustCompile(`(?s)Timed out obtaining Alibaba Cloud credentials.*assume_role\(static access key\).*` +
				`STS\s+AssumeRole\s+at\s+` + regexp.QuoteMeta("https://"+ln.Addr().String()) + `.*sts_endpoint`),
		}},
	})
	if n := srv.Count("DescribeUserOnlineClients"); n != 0 {
		t.Errorf("%d Smartag requests were sent without credentials", n)
	}
}
