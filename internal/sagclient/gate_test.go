package sagclient

import "testing"

func TestGateIdentity_separatesEveryCredentialSource(t *testing.T) {
	base := Config{Region: "cn-shanghai"}
	with := func(mut func(*CredentialsConfig)) string {
		cfg := base
		mut(&cfg.Credentials)
		return gateIdentity(cfg)
	}
	ids := map[string]string{
		"key A":   with(func(c *CredentialsConfig) { c.AccessKeyID = "LTAIa" }),
		"key B":   with(func(c *CredentialsConfig) { c.AccessKeyID = "LTAIb" }),
		"profile": with(func(c *CredentialsConfig) { c.Profile = "audit" }),
		"uri one": with(func(c *CredentialsConfig) { c.CredentialsURI = "http://one.internal/creds" }),
		"uri two": with(func(c *CredentialsConfig) { c.CredentialsURI = "http://two.internal/creds" }),
		"oidc role": with(func(c *CredentialsConfig) {
			c.OIDC = &OIDCConfig{ProviderARN: "acs:ram::1:oidc-provider/p", RoleARN: "acs:ram::1:role/a"}
		}),
		"oidc other": with(func(c *CredentialsConfig) {
			c.OIDC = &OIDCConfig{ProviderARN: "acs:ram::2:oidc-provider/p", RoleARN: "acs:ram::2:role/a"}
		}),
		"ecs": with(func(c *CredentialsConfig) { c.ECSRoleName = "auditor" }),
	}
	seen := map[string]string{}
	for name, id := range ids {
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share the identity %q", name, other, id)
		}
		seen[id] = name
	}
	secret := with(func(c *CredentialsConfig) { c.CredentialsURI = "http://one.internal/creds?token=s3cr3t" })
	if secret != ids["uri one"] {
		t.Errorf("the URI's path and query must not be part of the identity: %q", secret)
	}
}
