package sagclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
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
}

type cliConfig struct {
	Current  string       `json:"current"`
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

// loadProfile reads the named profile. It returns nil, nil when the file does
// not exist and nobody asked for it explicitly.
func loadProfile(path, name string, required bool) (*cliProfile, error) {
	if path == "" {
		path = DefaultProfileFile()
	}
	if path == "" {
		if required {
			return nil, errors.New("shared_credentials_file: no home directory to find ~/.aliyun/config.json in")
		}
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading shared credentials file: %w", err)
	}
	var cfg cliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("shared credentials file %s is not valid JSON: %w", path, err)
	}
	if name == "" {
		name = cfg.Current
	}
	if name == "" {
		name = "default"
	}
	for i := range cfg.Profiles {
		if cfg.Profiles[i].Name == name {
			return &cfg.Profiles[i], nil
		}
	}
	return nil, fmt.Errorf("profile %q not found in shared credentials file %s", name, path)
}

// credentialsProvider builds the SDK provider for the profile's mode.
// httpOpts bound the calls to STS of a RamRoleArn profile.
func (p *cliProfile) credentialsProvider(stsEndpoint string, httpOpts *credentials.HttpOptions) (credentials.CredentialsProvider, error) {
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
		return credentials.NewStaticAKCredentialsProvider(p.AccessKeyID, p.AccessKeySecret), nil
	case "StsToken":
		if err := needKey(); err != nil {
			return nil, err
		}
		if p.SecurityToken == "" {
			return nil, fmt.Errorf("profile %q (mode StsToken) needs sts_token", p.Name)
		}
		return credentials.NewStaticSTSCredentialsProvider(p.AccessKeyID, p.AccessKeySecret, p.SecurityToken), nil
	case "RamRoleArn":
		if err := needKey(); err != nil {
			return nil, err
		}
		if p.RoleArn == "" {
			return nil, fmt.Errorf("profile %q (mode RamRoleArn) needs ram_role_arn", p.Name)
		}
		endpoint := stsEndpoint
		if endpoint == "" && p.StsRegion != "" {
			endpoint = "sts." + p.StsRegion + ".aliyuncs.com"
		}
		return assumeRoleProvider(
			credentials.NewStaticAKCredentialsProvider(p.AccessKeyID, p.AccessKeySecret),
			AssumeRoleConfig{
				RoleARN:           p.RoleArn,
				SessionName:       p.RoleSessionName,
				SessionExpiration: time.Duration(p.ExpiredSeconds) * time.Second,
				Policy:            p.Policy,
				ExternalID:        p.ExternalID,
			}, endpoint, httpOpts)
	case "EcsRamRole":
		if p.RoleName == "" {
			return nil, fmt.Errorf("profile %q (mode EcsRamRole) needs ram_role_name", p.Name)
		}
		return newECSRoleProvider(p.RoleName)
	default:
		return nil, fmt.Errorf("profile %q: mode %q is not supported (supported: AK, StsToken, RamRoleArn, EcsRamRole)", p.Name, p.Mode)
	}
}
