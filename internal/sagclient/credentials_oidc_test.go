package sagclient

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOIDC_tokenIsRegisteredWithTheScrubber: the OIDC token is a bearer
// credential; it is registered before each call to STS, even one that
// fails, so no message can carry it out.
func TestOIDC_tokenIsRegisteredWithTheScrubber(t *testing.T) {
	const token = "eyJhbGciOiJSUzI1NiJ9.rotating+token/value=.sig"
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	scrub := newScrubber()
	p, err := oidcProvider(OIDCConfig{ProviderARN: "acs:ram::1:oidc-provider/p", TokenFile: file, RoleARN: "acs:ram::1:role/r"},
		testSTSCaller("127.0.0.1:1", scrub), scrub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.credentials(context.Background()); err == nil {
		t.Fatal("want an error: nothing listens on the STS endpoint")
	}
	if out := scrub.scrub("token=" + token); strings.Contains(out, "rotating") {
		t.Errorf("the token was not registered: %s", out)
	}
}

func TestOIDC_missingTokenFileNamesIt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "absent")
	p, err := oidcProvider(OIDCConfig{ProviderARN: "acs:ram::1:oidc-provider/p", TokenFile: file, RoleARN: "acs:ram::1:role/r"},
		testSTSCaller("127.0.0.1:1", newScrubber()), newScrubber())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.credentials(context.Background()); err == nil || !strings.Contains(err.Error(), "OIDC token file") {
		t.Fatalf("want an error about the token file, got %v", err)
	}
}

// testSTSCaller calls STS at endpoint with one-second timeouts.
func testSTSCaller(endpoint string, scrub *scrubber) *stsCaller {
	return &stsCaller{http: newCredentialHTTP(credentialTimeouts{connect: time.Second, read: time.Second}),
		target: stsTarget{endpoint: endpoint}, scrub: scrub}
}
