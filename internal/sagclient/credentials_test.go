package sagclient

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeProfileFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const sampleCLIConfig = `{"current":"work","profiles":[
 {"name":"default","mode":"AK","access_key_id":"AK-DEFAULT","access_key_secret":"secret-default","region_id":"cn-hongkong"},
 {"name":"work","mode":"AK","access_key_id":"AK-WORK","access_key_secret":"secret-work","region_id":"cn-shanghai"},
 {"name":"sts","mode":"StsToken","access_key_id":"STS.KEY","access_key_secret":"secret-sts","sts_token":"token-sts"},
 {"name":"role","mode":"RamRoleArn","access_key_id":"AK-ROLE","access_key_secret":"secret-role","ram_role_arn":"acs:ram::1:role/r","ram_session_name":"s1"},
 {"name":"ecs","mode":"EcsRamRole","ram_role_name":"my-ecs-role"},
 {"name":"weird","mode":"ChainableRamRoleArn"},
 {"name":"chain","mode":"ChainableRamRoleArn","source_profile":"role","ram_role_arn":"acs:ram::2:role/next"},
 {"name":"loop1","mode":"ChainableRamRoleArn","source_profile":"loop2","ram_role_arn":"acs:ram::2:role/a"},
 {"name":"loop2","mode":"ChainableRamRoleArn","source_profile":"loop1","ram_role_arn":"acs:ram::2:role/b"},
 {"name":"oidc","mode":"OIDC","oidc_provider_arn":"acs:ram::1:oidc-provider/ack","oidc_token_file":"/var/run/token","ram_role_arn":"acs:ram::1:role/r"},
 {"name":"uri","mode":"CredentialsURI","credentials_uri":"http://127.0.0.1:1/creds"},
 {"name":"sso","mode":"CloudSSO"},
 {"name":"nokey","mode":"AK"}
]}`

func TestCredentialChain(t *testing.T) {
	file := writeProfileFile(t, sampleCLIConfig)
	absent := filepath.Join(t.TempDir(), "absent.json")
	cases := []struct {
		name       string
		cfg        CredentialsConfig
		wantKey    string
		wantToken  string
		wantSource string
		wantRegion string
		wantErr    string
	}{
		{name: "static key beats the profile", cfg: CredentialsConfig{AccessKeyID: "AK1", AccessKeySecret: "S1", ProfileFile: file, Profile: "work"},
			wantKey: "AK1", wantSource: "static access key", wantRegion: "cn-shanghai"},
		{name: "static STS", cfg: CredentialsConfig{AccessKeyID: "STS.1", AccessKeySecret: "S1", SecurityToken: "T1", ProfileFile: absent},
			wantKey: "STS.1", wantToken: "T1", wantSource: "static STS token"},
		{name: "key without secret", cfg: CredentialsConfig{AccessKeyID: "AK1"}, wantErr: "its secret is missing"},
		{name: "secret without key", cfg: CredentialsConfig{AccessKeySecret: "S1"}, wantErr: "its access key ID is missing"},
		{name: "no profile named: the file is not read", cfg: CredentialsConfig{ProfileFile: file}, wantErr: ErrNoCredentials.Error()},
		{name: "named profile, not the current one", cfg: CredentialsConfig{ProfileFile: file, Profile: "work"},
			wantKey: "AK-WORK", wantSource: `profile "work" (AK)`, wantRegion: "cn-shanghai"},
		{name: "named profile", cfg: CredentialsConfig{ProfileFile: file, Profile: "default"},
			wantKey: "AK-DEFAULT", wantRegion: "cn-hongkong"},
		{name: "StsToken profile", cfg: CredentialsConfig{ProfileFile: file, Profile: "sts"}, wantKey: "STS.KEY", wantToken: "token-sts"},
		{name: "unknown profile", cfg: CredentialsConfig{ProfileFile: file, Profile: "nope"}, wantErr: `profile "nope" not found`},
		{name: "chainable without source", cfg: CredentialsConfig{ProfileFile: file, Profile: "weird"}, wantErr: "needs source_profile"},
		{name: "chainable cycle", cfg: CredentialsConfig{ProfileFile: file, Profile: "loop1"}, wantErr: "source_profile chain longer"},
		{name: "CloudSSO names the mode", cfg: CredentialsConfig{ProfileFile: file, Profile: "sso"}, wantErr: `mode "CloudSSO" is not supported`},
		{name: "profile without key", cfg: CredentialsConfig{ProfileFile: file, Profile: "nokey"}, wantErr: "needs access_key_id"},
		{name: "absent file, no profile: next source", cfg: CredentialsConfig{ProfileFile: absent}, wantErr: ErrNoCredentials.Error()},
		{name: "absent file, profile named", cfg: CredentialsConfig{ProfileFile: absent, Profile: "work"}, wantErr: "reading shared credentials file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveCredentials(tc.cfg, nil, newScrubber())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want error containing %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cc, err := got.provider.GetCredentials()
			if err != nil {
				t.Fatal(err)
			}
			if cc.AccessKeyId != tc.wantKey || cc.SecurityToken != tc.wantToken {
				t.Errorf("got key %q token %q", cc.AccessKeyId, cc.SecurityToken)
			}
			if tc.wantSource != "" && got.source != tc.wantSource {
				t.Errorf("source %q, want %q", got.source, tc.wantSource)
			}
			if tc.wantRegion != "" && got.profileRegion != tc.wantRegion {
				t.Errorf("profile region %q, want %q", got.profileRegion, tc.wantRegion)
			}
		})
	}
}

func TestCredentialChain_rolesAndECSBuildWithoutIO(t *testing.T) {
	file := writeProfileFile(t, sampleCLIConfig)
	for name, cfg := range map[string]CredentialsConfig{
		"RamRoleArn profile":          {ProfileFile: file, Profile: "role"},
		"EcsRamRole profile":          {ProfileFile: file, Profile: "ecs"},
		"ChainableRamRoleArn profile": {ProfileFile: file, Profile: "chain"},
		"OIDC profile":                {ProfileFile: file, Profile: "oidc"},
		"CredentialsURI profile":      {ProfileFile: file, Profile: "uri"},
		"credentials_uri":             {CredentialsURI: "https://sidecar.internal/creds"},
		"assume_role_with_oidc": {OIDC: &OIDCConfig{ProviderARN: "acs:ram::1:oidc-provider/p", TokenFile: "/t", RoleARN: "acs:ram::1:role/r"},
			AssumeRole: &AssumeRoleConfig{RoleARN: "acs:ram::1:role/next", SessionExpiration: 12 * time.Hour}},
		"ecs_role_name": {ProfileFile: filepath.Join(t.TempDir(), "x"), ECSRoleName: "r"},
		"assume_role": {AccessKeyID: "AK", AccessKeySecret: "S",
			AssumeRole: &AssumeRoleConfig{RoleARN: "acs:ram::1:role/r"}, STSEndpoint: "sts.example.com"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := resolveCredentials(cfg, nil, newScrubber())
			if err != nil {
				t.Fatal(err)
			}
			if got.provider == nil || got.source == "" {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestCredentialChain_invalidJSON(t *testing.T) {
	file := writeProfileFile(t, `{"profiles": [`)
	_, err := resolveCredentials(CredentialsConfig{ProfileFile: file, Profile: "default"}, nil, newScrubber())
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") || !strings.Contains(err.Error(), file) {
		t.Fatalf("want an error naming the file, got %v", err)
	}
	if errors.Is(err, ErrNoCredentials) {
		t.Error("a broken file must not be mistaken for no credentials")
	}
}

func TestClientRegionFallsBackToProfile(t *testing.T) {
	file := writeProfileFile(t, sampleCLIConfig)
	c, err := New(Config{Credentials: CredentialsConfig{ProfileFile: file, Profile: "default"}})
	if err != nil {
		t.Fatal(err)
	}
	for override, want := range map[string]string{"": "cn-hongkong", "eu-central-1": "eu-central-1"} {
		if got, err := c.Region(override); err != nil || got != want {
			t.Errorf("Region(%q) = %q, %v; want %q", override, got, err, want)
		}
	}
}

// TestCredentialChain_order is the alicloud provider's order: access key,
// named profile, credentials URI, ECS role, AssumeRoleWithOIDC.
func TestCredentialChain_order(t *testing.T) {
	file := writeProfileFile(t, sampleCLIConfig)
	oidc := &OIDCConfig{ProviderARN: "acs:ram::1:oidc-provider/p", TokenFile: "/t", RoleARN: "acs:ram::1:role/r"}
	all := CredentialsConfig{AccessKeyID: "AK1", AccessKeySecret: "S1", Profile: "work", ProfileFile: file,
		CredentialsURI: "http://127.0.0.1:1/creds", ECSRoleName: "ecs-role", OIDC: oidc}
	steps := []struct {
		source string
		drop   func(*CredentialsConfig)
	}{
		{"static access key", func(c *CredentialsConfig) { c.AccessKeyID, c.AccessKeySecret = "", "" }},
		{`profile "work" (AK)`, func(c *CredentialsConfig) { c.Profile = "" }},
		{"credentials URI http://127.0.0.1:1", func(c *CredentialsConfig) { c.CredentialsURI = "" }},
		{"ECS instance role ecs-role", func(c *CredentialsConfig) { c.ECSRoleName = "" }},
		{"AssumeRoleWithOIDC acs:ram::1:role/r", func(c *CredentialsConfig) { c.OIDC = nil }},
	}
	cfg := all
	for _, step := range steps {
		got, err := resolveCredentials(cfg, nil, newScrubber())
		if err != nil {
			t.Fatalf("%s: %v", step.source, err)
		}
		if got.source != step.source {
			t.Errorf("got source %q, want %q", got.source, step.source)
		}
		step.drop(&cfg)
	}
	if _, err := resolveCredentials(cfg, nil, newScrubber()); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("with every source dropped: %v", err)
	}
}

// TestCredentialChain_hostCLIFileDoesNotBeatECSRole: a CLI file in HOME is
// not read unless a profile is named, so it cannot take the place of an
// explicit ecs_role_name.
func TestCredentialChain_hostCLIFileDoesNotBeatECSRole(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(sampleCLIConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := resolveCredentials(CredentialsConfig{ECSRoleName: "ecs-role"}, nil, newScrubber())
	if err != nil {
		t.Fatal(err)
	}
	if got.source != "ECS instance role ecs-role" || got.profileRegion != "" {
		t.Errorf("got source %q, region %q", got.source, got.profileRegion)
	}
}

func TestCredentialChain_oidcNeedsItsThreeValues(t *testing.T) {
	_, err := resolveCredentials(CredentialsConfig{OIDC: &OIDCConfig{TokenFile: "/t"}}, nil, newScrubber())
	if err == nil || !strings.Contains(err.Error(), "oidc_provider_arn, role_arn") {
		t.Fatalf("want an error naming the missing values, got %v", err)
	}
}
