package sagclient

import (
	"errors"
	"fmt"
	"time"
)

// ErrNoCredentials means the whole chain was tried and nothing was found. The
// provider turns it into a message naming every source and how to set it.
var ErrNoCredentials = errors.New("no Alibaba Cloud credentials found")

// ErrIncompleteKeyPair means one half of a static access key pair is set.
var ErrIncompleteKeyPair = errors.New("incomplete access key pair")

// CredentialsConfig holds every credential source after the provider merged
// its arguments with the environment. Sources are tried in the alicloud
// provider's order: static key pair, named CLI profile, credentials URI,
// ECS instance role, AssumeRoleWithOIDC; AssumeRole then wraps whichever
// was found.
type CredentialsConfig struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string

	// Profile is the CLI profile's name. The CLI file is read only when a
	// profile is named, as the alicloud provider does.
	Profile string
	// ProfileFile is the CLI configuration file; empty means
	// DefaultProfileFile().
	ProfileFile string

	// CredentialsURI is a service that answers temporary credentials.
	CredentialsURI string

	ECSRoleName string

	// OIDC, when set, exchanges an OIDC token for credentials.
	OIDC *OIDCConfig

	AssumeRole  *AssumeRoleConfig
	STSEndpoint string
}

// AssumeRoleConfig is the RAM role to assume with STS AssumeRole.
type AssumeRoleConfig struct {
	RoleARN     string
	SessionName string
	// SessionExpiration is the STS session's lifetime; 0 means one hour.
	SessionExpiration time.Duration
	Policy            string
	ExternalID        string
}

// DefaultSessionName is the RoleSessionName when none is configured, so that
// ActionTrail shows where the session came from.
const DefaultSessionName = "terraform-provider-smartag"

// resolvedCredentials is the outcome of the chain: credentials shared by
// concurrent reads and the name of the source, for logs.
type resolvedCredentials struct {
	provider *sharedCredentials
	source   string
	// region from the CLI profile, used when no region is configured.
	profileRegion string
}

// credentialChain is what the sources need to fetch: the HTTP client of the
// credential calls and the scrubber their secrets are registered with.
type credentialChain struct {
	cfg   CredentialsConfig
	http  *credentialHTTP
	scrub *scrubber
}

// sts is the STS caller for a target.
func (ch credentialChain) sts(t stsTarget) *stsCaller {
	return &stsCaller{http: ch.http, target: t, scrub: ch.scrub}
}

// resolveCredentials builds the chain; h nil means the default client
// timeouts.
func resolveCredentials(cfg CredentialsConfig, h *credentialHTTP, scrub *scrubber) (*resolvedCredentials, error) {
	if h == nil {
		h = newCredentialHTTP(credentialTimeouts{})
	}
	ch := credentialChain{cfg: cfg, http: h, scrub: scrub}
	scrub.add(cfg.AccessKeySecret, cfg.SecurityToken)
	base, source, profileRegion, err := ch.base()
	if err != nil {
		return nil, err
	}
	if profileRegion == "" && cfg.Profile != "" {
		// The named profile's region is the last fallback for the region
		// even when its credentials are not used; a broken file is no
		// reason to fail here.
		if _, p, err := loadProfile(cfg.ProfileFile, cfg.Profile); err == nil {
			profileRegion = p.RegionID
		}
	}
	if cfg.AssumeRole != nil && cfg.AssumeRole.RoleARN != "" {
		base = assumeRoleProvider(&scrubbedSource{inner: base, scrub: scrub}, *cfg.AssumeRole, ch.sts(stsTarget{endpoint: cfg.STSEndpoint}))
		source = "assume_role(" + source + ")"
	}
	return &resolvedCredentials{
		provider:      newSharedCredentials(base, source, scrub),
		source:        source,
		profileRegion: profileRegion,
	}, nil
}

// base walks the chain before assume_role.
func (ch credentialChain) base() (credentialSource, string, string, error) {
	cfg := ch.cfg
	switch {
	case cfg.AccessKeyID != "" && cfg.AccessKeySecret != "":
		if cfg.SecurityToken != "" {
			return newStaticSource(cfg.AccessKeyID, cfg.AccessKeySecret, cfg.SecurityToken), "static STS token", "", nil
		}
		return newStaticSource(cfg.AccessKeyID, cfg.AccessKeySecret, ""), "static access key", "", nil
	case cfg.AccessKeyID != "":
		return nil, "", "", fmt.Errorf("%w: the access key ID is set, its secret is missing", ErrIncompleteKeyPair)
	case cfg.AccessKeySecret != "":
		return nil, "", "", fmt.Errorf("%w: the secret is set, its access key ID is missing", ErrIncompleteKeyPair)
	}

	if cfg.Profile != "" {
		set, p, err := loadProfile(cfg.ProfileFile, cfg.Profile)
		if err != nil {
			return nil, "", "", err
		}
		provider, err := profileSource{set: set, chain: ch}.provider(p, 0)
		if err != nil {
			return nil, "", "", err
		}
		return provider, fmt.Sprintf("profile %q (%s)", p.Name, p.Mode), p.RegionID, nil
	}

	if cfg.CredentialsURI != "" {
		provider, err := newURICredentialsProvider(cfg.CredentialsURI, ch.http)
		if err != nil {
			return nil, "", "", err
		}
		return provider, "credentials URI " + provider.where(), "", nil
	}

	if cfg.ECSRoleName != "" {
		provider, err := newECSRoleProvider(cfg.ECSRoleName)
		if err != nil {
			return nil, "", "", fmt.Errorf("ecs_role_name: %w", err)
		}
		return provider, "ECS instance role " + cfg.ECSRoleName, "", nil
	}

	if cfg.OIDC != nil {
		provider, err := oidcProvider(*cfg.OIDC, ch.sts(stsTarget{endpoint: cfg.STSEndpoint}), ch.scrub)
		if err != nil {
			return nil, "", "", fmt.Errorf("assume_role_with_oidc: %w", err)
		}
		return provider, "AssumeRoleWithOIDC " + cfg.OIDC.RoleARN, "", nil
	}
	return nil, "", "", ErrNoCredentials
}

// assumeRoleProvider wraps base in STS AssumeRole.
func assumeRoleProvider(base credentialSource, ar AssumeRoleConfig, sts *stsCaller) credentialSource {
	return &assumeRoleSource{base: base, role: ar, sts: sts}
}

// CredentialError is a failure to obtain credentials from a source (STS
// AssumeRole, the ECS metadata service, ...), as opposed to a Smartag error.
type CredentialError struct {
	Source string
	Err    error
}

func (e *CredentialError) Error() string {
	return fmt.Sprintf("obtaining credentials from %s: %v", e.Source, e.Err)
}

func (e *CredentialError) Unwrap() error { return e.Err }
