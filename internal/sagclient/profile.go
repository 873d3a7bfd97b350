package sagclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// cliProfile is one profile of the Alibaba Cloud CLI's config.json. Field
// names are the CLI's own.
type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"sts_token"`
	RegionID        string `json:"region_id"`
	RoleArn         string `json:"ram_role_arn"`
	RoleSessionName string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	StsRegion       string `json:"sts_region"`
	RoleName        string `json:"ram_role_name"`
	Policy          string `json:"policy"`
	ExternalID      string `json:"external_id"`
	EnableVpc       bool   `json:"enable_vpc"`
	SourceProfile   string `json:"source_profile"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	OIDCTokenFile   string `json:"oidc_token_file"`
	CredentialsURI  string `json:"credentials_uri"`
}

type cliConfig struct {
	Profiles []cliProfile `json:"profiles"`
}

// DefaultProfileFile is the CLI's configuration file, ~/.aliyun/config.json.
func DefaultProfileFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".aliyun", "config.json")
}

// profileSet is the CLI configuration file once read: the named profile and
// the others, which a ChainableRamRoleArn profile may name as its source.
type profileSet struct {
	path     string
	profiles []cliProfile
}

// loadProfile reads the file and finds the named profile. Like the alicloud
// provider, the file is only read when a profile is named, so a missing
// file or profile is always an error.
func loadProfile(path, name string) (*profileSet, *cliProfile, error) {
	if path == "" {
		path = DefaultProfileFile()
	}
	if path == "" {
		return nil, nil, errors.New("no home directory to find ~/.aliyun/config.json in; set shared_credentials_file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading shared credentials file: %w", err)
	}
	var cfg cliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, nil, fmt.Errorf("shared credentials file %s is not valid JSON: %w", path, err)
	}
	set := &profileSet{path: path, profiles: cfg.Profiles}
	p, err := set.find(name)
	if err != nil {
		return nil, nil, err
	}
	return set, p, nil
}

func (s *profileSet) find(name string) (*cliProfile, error) {
	for i := range s.profiles {
		if s.profiles[i].Name == name {
			return &s.profiles[i], nil
		}
	}
	return nil, fmt.Errorf("profile %q not found in shared credentials file %s", name, s.path)
}

// supportedModes are the CLI profile modes this provider can use.
const supportedModes = "AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CredentialsURI"

// maxProfileChain bounds ChainableRamRoleArn chains, which also catches a
// cycle of source_profile references.
const maxProfileChain = 5

// profileSource builds credentials from the CLI profile p. Every secret it
// reads is registered with the chain's scrubber; STS calls go to the
// chain's STS endpoint when one is set.
type profileSource struct {
	set   *profileSet
	chain credentialChain
}

func (s profileSource) provider(p *cliProfile, depth int) (credentialSource, error) {
	s.chain.scrub.add(p.AccessKeySecret, p.SecurityToken)
	needKey := func() error {
		if p.AccessKeyID == "" || p.AccessKeySecret == "" {
			return fmt.Errorf("profile %q (mode %s) needs access_key_id and access_key_secret", p.Name, p.Mode)
		}
		return nil
	}
	switch p.Mode {
	case "AK", "":
		if err := needKey(); err != nil {
			return nil, err
		}
		return newStaticSource(p.AccessKeyID, p.AccessKeySecret, ""), nil
	case "StsToken":
		if err := needKey(); err != nil {
			return nil, err
		}
		if p.SecurityToken == "" {
			return nil, fmt.Errorf("profile %q (mode StsToken) needs sts_token", p.Name)
		}
		return newStaticSource(p.AccessKeyID, p.AccessKeySecret, p.SecurityToken), nil
	case "RamRoleArn":
		if err := needKey(); err != nil {
			return nil, err
		}
		return s.assumeRole(p, newStaticSource(p.AccessKeyID, p.AccessKeySecret, ""))
	case "ChainableRamRoleArn":
		if p.SourceProfile == "" {
			return nil, fmt.Errorf("profile %q (mode ChainableRamRoleArn) needs source_profile", p.Name)
		}
		if depth >= maxProfileChain {
			return nil, fmt.Errorf("profile %q: source_profile chain longer than %d profiles (a cycle?)", p.Name, maxProfileChain)
		}
		src, err := s.set.find(p.SourceProfile)
		if err != nil {
			return nil, fmt.Errorf("profile %q: source_profile: %w", p.Name, err)
		}
		base, err := s.provider(src, depth+1)
		if err != nil {
			return nil, fmt.Errorf("profile %q: source_profile: %w", p.Name, err)
		}
		return s.assumeRole(p, &scrubbedSource{inner: base, scrub: s.chain.scrub})
	case "EcsRamRole":
		if p.RoleName == "" {
			return nil, fmt.Errorf("profile %q (mode EcsRamRole) needs ram_role_name", p.Name)
		}
		return newECSRoleProvider(p.RoleName)
	case "OIDC":
		return oidcProvider(OIDCConfig{
			ProviderARN:       p.OIDCProviderARN,
			TokenFile:         p.OIDCTokenFile,
			RoleARN:           p.RoleArn,
			SessionName:       p.RoleSessionName,
			SessionExpiration: time.Duration(p.ExpiredSeconds) * time.Second,
			Policy:            p.Policy,
		}, s.chain.sts(s.endpointFor(p)), s.chain.scrub)
	case "CredentialsURI":
		if p.CredentialsURI == "" {
			return nil, fmt.Errorf("profile %q (mode CredentialsURI) needs credentials_uri", p.Name)
		}
		return newURICredentialsProvider(p.CredentialsURI, s.chain.http)
	default:
		// CloudSSO, OAuth and External need the CLI's own sign-in flows or
		// an external program, which the Go SDK does not implement.
		return nil, fmt.Errorf("profile %q: mode %q is not supported: the Alibaba Cloud Go SDK has no %s sign-in "+
			"(supported modes: %s)", p.Name, p.Mode, p.Mode, supportedModes)
	}
}

// endpointFor is where a profile calls STS: the configured endpoint, else
// the profile's sts_region and enable_vpc, as the CLI does.
func (s profileSource) endpointFor(p *cliProfile) stsTarget {
	return stsTarget{endpoint: s.chain.cfg.STSEndpoint, region: p.StsRegion, vpc: p.EnableVpc}
}

func (s profileSource) assumeRole(p *cliProfile, base credentialSource) (credentialSource, error) {
	if p.RoleArn == "" {
		return nil, fmt.Errorf("profile %q (mode %s) needs ram_role_arn", p.Name, p.Mode)
	}
	return assumeRoleProvider(base, AssumeRoleConfig{
		RoleARN:           p.RoleArn,
		SessionName:       p.RoleSessionName,
		SessionExpiration: time.Duration(p.ExpiredSeconds) * time.Second,
		Policy:            p.Policy,
		ExternalID:        p.ExternalID,
	}, s.chain.sts(s.endpointFor(p))), nil
}
