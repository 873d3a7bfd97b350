package sagclient

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// MaxOIDCSessionExpiration is the upper bound the Alibaba Cloud SDKs set
// for AssumeRoleWithOIDC sessions.
const MaxOIDCSessionExpiration = time.Hour

// maxOIDCTokenFile bounds what is read of the token file: STS takes tokens
// of at most 20,000 characters.
const maxOIDCTokenFile = 1 << 20

func oidcProvider(cfg OIDCConfig, sts *stsCaller, scrub *scrubber) (credentialSource, error) {
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
	if d := cfg.SessionExpiration; d != 0 && (d < 15*time.Minute || d > MaxOIDCSessionExpiration) {
		return nil, fmt.Errorf("AssumeRoleWithOIDC sessions last 15 minutes to %s, not %s", MaxOIDCSessionExpiration, d)
	}
	return &oidcSource{cfg: cfg, sts: sts, scrub: scrub}, nil
}

// oidcSource is STS AssumeRoleWithOIDC. The call is anonymous: the token
// is the proof, a bearer credential, registered with the scrubber before
// each call; it is read again (it rotates) on every renewal.
type oidcSource struct {
	cfg   OIDCConfig
	sts   *stsCaller
	scrub *scrubber
	cache expiringCache
}

func (p *oidcSource) describe() string {
	return "STS " + ActionAssumeRoleWithOIDC + " at https://" + p.sts.target.host()
}

func (p *oidcSource) credentials(ctx context.Context) (*credentials.Credentials, error) {
	if cc := p.cache.get(); cc != nil {
		return cc, nil
	}
	token, err := readTokenFile(p.cfg.TokenFile)
	if err != nil {
		return nil, err
	}
	p.scrub.add(token, strings.TrimSpace(token))
	session := p.cfg.SessionName
	if session == "" {
		session = DefaultSessionName
	}
	form := map[string]string{
		"RoleArn":         p.cfg.RoleARN,
		"OIDCProviderArn": p.cfg.ProviderARN,
		"OIDCToken":       token,
		"RoleSessionName": session,
		"DurationSeconds": durationSeconds(p.cfg.SessionExpiration),
	}
	if p.cfg.Policy != "" {
		form["Policy"] = p.cfg.Policy
	}
	cc, exp, err := p.sts.call(ctx, ActionAssumeRoleWithOIDC, form, nil)
	if err != nil {
		return nil, err
	}
	p.cache.put(cc, exp)
	return cc, nil
}

func readTokenFile(path string) (string, error) {
	f, err := os.Open(path) //nolint:gosec // G304: the token file the user configured
	if err != nil {
		return "", fmt.Errorf("reading the OIDC token file: %w", err)
	}
	defer func() { _ = f.Close() }()
	token, err := io.ReadAll(io.LimitReader(f, maxOIDCTokenFile+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("reading the OIDC token file: %w", err)
	case len(token) > maxOIDCTokenFile:
		return "", fmt.Errorf("the OIDC token file %s is larger than %d bytes: not a token", path, maxOIDCTokenFile)
	case len(token) == 0:
		return "", errors.New("the OIDC token file " + path + " is empty")
	}
	return string(token), nil
}
