package sagclient

import (
	"errors"
	"fmt"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
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

func resolveCredentials(cfg CredentialsConfig, httpOpts *credentials.HttpOptions, scrub *scrubber) (*resolvedCredentials, error) {
	scrub.add(cfg.AccessKeySecret, cfg.SecurityToken)
	base, source, profileRegion, err := baseCredentials(cfg, httpOpts, scrub)
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
		// The base credentials only ever reach STS, inside the SDK: register
		// them on the way, since an ECS role's never pass through anything
		// else of ours.
		base, err = assumeRoleProvider(&scrubbedProvider{inner: base, scrub: scrub}, *cfg.AssumeRole, stsTarget{endpoint: cfg.STSEndpoint}, httpOpts)
		if err != nil {
			return nil, fmt.Errorf("assume_role: %w", err)
		}
		source = "assume_role(" + source + ")"
	}
	return &resolvedCredentials{
		provider:      newSharedCredentials(base, source, scrub),
		source:        source,
		profileRegion: profileRegion,
	}, nil
}

// baseCredentials walks the chain before assume_role.
func baseCredentials(cfg CredentialsConfig, httpOpts *credentials.HttpOptions, scrub *scrubber) (credentials.CredentialsProvider, string, string, error) {
	switch {
	case cfg.AccessKeyID != "" && cfg.AccessKeySecret != "":
		if cfg.SecurityToken != "" {
			return credentials.NewStaticSTSCredentialsProvider(cfg.AccessKeyID, cfg.AccessKeySecret, cfg.SecurityToken), "static STS token", "", nil
		}
		return credentials.NewStaticAKCredentialsProvider(cfg.AccessKeyID, cfg.AccessKeySecret), "static access key", "", nil
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
		provider, err := profileSource{set: set, stsEndpoint: cfg.STSEndpoint, httpOpts: httpOpts, scrub: scrub}.provider(p, 0)
		if err != nil {
			return nil, "", "", err
		}
		return provider, fmt.Sprintf("profile %q (%s)", p.Name, p.Mode), p.RegionID, nil
	}

	if cfg.CredentialsURI != "" {
		provider, err := newURICredentialsProvider(cfg.CredentialsURI, httpOpts)
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
		provider, err := oidcProvider(*cfg.OIDC, stsTarget{endpoint: cfg.STSEndpoint}, httpOpts, scrub)
		if err != nil {
			return nil, "", "", fmt.Errorf("assume_role_with_oidc: %w", err)
		}
		return provider, "AssumeRoleWithOIDC " + cfg.OIDC.RoleARN, "", nil
	}
	return nil, "", "", ErrNoCredentials
}

// newECSRoleProvider fetches the credentials of the instance's RAM role
// from the ECS metadata service, with the SDK's timeouts (1 s each, suited
// to a service on the instance itself). A variable for tests.
var newECSRoleProvider = func(roleName string) (credentials.CredentialsProvider, error) {
	return credentials.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(roleName).Build()
}

// stsTarget is where STS is called: endpoint when set, else the SDK picks
// sts[-vpc].<region>.aliyuncs.com from region (or ALIBABA_CLOUD_STS_REGION)
// and vpc (or ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED), else sts.aliyuncs.com.
type stsTarget struct {
	endpoint string
	region   string
	vpc      bool
}

// assumeRoleProvider wraps base in STS AssumeRole. httpOpts bound each call
// to STS; nil means the SDK's defaults.
func assumeRoleProvider(base credentials.CredentialsProvider, ar AssumeRoleConfig, sts stsTarget, httpOpts *credentials.HttpOptions) (credentials.CredentialsProvider, error) {
	session := ar.SessionName
	if session == "" {
		session = DefaultSessionName
	}
	b := credentials.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(base).
		WithRoleArn(ar.RoleARN).
		WithRoleSessionName(session).
		WithDurationSeconds(int(ar.SessionExpiration / time.Second)).
		WithPolicy(ar.Policy).
		WithExternalId(ar.ExternalID).
		WithHttpOptions(httpOpts).
		WithStsRegion(sts.region).
		WithEnableVpc(sts.vpc)
	if sts.endpoint != "" {
		b = b.WithStsEndpoint(sts.endpoint)
	}
	return b.Build()
}

// scrubbedProvider registers the secrets of every credentials it hands out
// with the scrubber.
type scrubbedProvider struct {
	inner credentials.CredentialsProvider
	scrub *scrubber
}

func (p *scrubbedProvider) GetCredentials() (*credentials.Credentials, error) {
	cc, err := p.inner.GetCredentials()
	if err == nil && cc != nil {
		p.scrub.add(cc.AccessKeySecret, cc.SecurityToken)
	}
	return cc, err
}

func (p *scrubbedProvider) GetProviderName() string { return p.inner.GetProviderName() }

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
