package sagclient

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// OIDCConfig is STS AssumeRoleWithOIDC: an OIDC token (RRSA on Kubernetes,
// a CI system's identity token) exchanged for a role's temporary
// credentials, with no AccessKey at all.
type OIDCConfig struct {
	ProviderARN string
	// TokenFile is read again before every renewal, since the platform
	// rotates the token in place.
	TokenFile   string
	RoleARN     string
	SessionName string
	// SessionExpiration is the STS session's lifetime; 0 means one hour.
	SessionExpiration time.Duration
	Policy            string
}

// MaxOIDCSessionExpiration is the Go SDK's upper bound for
// AssumeRoleWithOIDC sessions (its builder refuses more).
const MaxOIDCSessionExpiration = time.Hour

func oidcProvider(cfg OIDCConfig, sts stsTarget, httpOpts *credentials.HttpOptions, scrub *scrubber) (credentials.CredentialsProvider, error) {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"oidc_provider_arn", cfg.ProviderARN}, {"oidc_token_file", cfg.TokenFile}, {"role_arn", cfg.RoleARN},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("AssumeRoleWithOIDC needs %s", strings.Join(missing, ", "))
	}
	session := cfg.SessionName
	if session == "" {
		session = DefaultSessionName
	}
	b := credentials.NewOIDCCredentialsProviderBuilder().
		WithOIDCProviderARN(cfg.ProviderARN).
		WithOIDCTokenFilePath(cfg.TokenFile).
		WithRoleArn(cfg.RoleARN).
		WithRoleSessionName(session).
		WithDurationSeconds(int(cfg.SessionExpiration / time.Second)).
		WithPolicy(cfg.Policy).
		WithHttpOptions(httpOpts).
		WithStsRegion(sts.region).
		WithEnableVpc(sts.vpc)
	if sts.endpoint != "" {
		b = b.WithSTSEndpoint(sts.endpoint)
	}
	inner, err := b.Build()
	if err != nil {
		return nil, err
	}
	return &oidcTokenScrubber{inner: inner, tokenFile: cfg.TokenFile, scrub: scrub}, nil
}

// oidcTokenScrubber registers the OIDC token with the scrubber before each
// call: it is a bearer credential, and the SDK reads it (again, since it
// rotates) from the file on every renewal.
type oidcTokenScrubber struct {
	inner     credentials.CredentialsProvider
	tokenFile string
	scrub     *scrubber
}

func (p *oidcTokenScrubber) GetCredentials() (*credentials.Credentials, error) {
	token, err := os.ReadFile(p.tokenFile)
	if err != nil {
		// The SDK would fail the same way; say which file.
		return nil, fmt.Errorf("reading the OIDC token file: %w", err)
	}
	if len(token) == 0 {
		return nil, errors.New("the OIDC token file " + p.tokenFile + " is empty")
	}
	p.scrub.add(string(token), strings.TrimSpace(string(token)))
	return p.inner.GetCredentials()
}

func (p *oidcTokenScrubber) GetProviderName() string { return p.inner.GetProviderName() }
