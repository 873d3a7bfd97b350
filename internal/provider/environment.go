package provider

import (
	"fmt"
	"strings"
)

// envVars is the one list of the environment variables each argument reads,
// first found wins. Where the alicloud provider reads a variable, the names
// and their order are its own (ALICLOUD_* before ALIBABA_CLOUD_* before
// ALIBABACLOUD_*, per argument as in its provider.go), so an alicloud
// environment configures this provider the same way. The code that reads
// the environment, the schema's "Defaults to" prose, the no-credentials
// diagnostic and the README table are all derived from or checked against
// this list.
var envVars = map[string][]string{
	"region":                  {"ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"},
	"access_key":              {"ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID"},
	"secret_key":              {"ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_ACCESS_KEY_SECRET"},
	"security_token":          {"ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABACLOUD_SECURITY_TOKEN"},
	"profile":                 {"ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"},
	"shared_credentials_file": {"ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_CONFIG_FILE"},
	"credentials_uri":         {"ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI"},
	"ecs_role_name":           {"ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"},
	"client_read_timeout":     {"CLIENT_READ_TIMEOUT"},
	"client_connect_timeout":  {"CLIENT_CONNECT_TIMEOUT"},

	"assume_role.role_arn":           {"ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN"},
	"assume_role.session_name":       {"ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME"},
	"assume_role.session_expiration": {"ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION"},

	"assume_role_with_oidc.oidc_provider_arn": {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN"},
	"assume_role_with_oidc.oidc_token_file":   {"ALIBABA_CLOUD_OIDC_TOKEN_FILE"},
	"assume_role_with_oidc.role_arn":          {"ALIBABA_CLOUD_ROLE_ARN"},
	"assume_role_with_oidc.role_session_name": {"ALIBABA_CLOUD_ROLE_SESSION_NAME"},

	// This provider's own: alicloud has no flat endpoint, no retry count
	// and no rate ceiling.
	"endpoint":                {"ALIBABA_CLOUD_ENDPOINT_SMARTAG", "SMARTAG_ENDPOINT"},
	"sts_endpoint":            {"ALIBABA_CLOUD_STS_ENDPOINT"},
	"max_retries":             {"ALIBABA_CLOUD_MAX_RETRIES"},
	"max_requests_per_second": {"ALIBABA_CLOUD_SMARTAG_MAX_RPS"},
	"flow_state_dir":          {"ALIBABA_CLOUD_SMARTAG_FLOW_STATE_DIR"},
}

// envNames is the variables of an argument; a name missing from envVars is a
// programming error caught by the tests.
func envNames(attr string) []string {
	names, ok := envVars[attr]
	if !ok {
		panic("no environment variables listed for " + attr)
	}
	return names
}

// envProse is "`A`, then `B`": the variables of attr in order, for schema
// descriptions and diagnostics.
func envProse(attr string) string {
	names := envNames(attr)
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + n + "`"
	}
	return strings.Join(quoted, ", then ")
}

// defaultsTo is the "Defaults to ..." sentence of a schema description:
// the environment variables of attr, then what follows them.
func defaultsTo(attr, then string) string {
	if then == "" {
		return fmt.Sprintf("Defaults to %s.", envProse(attr))
	}
	return fmt.Sprintf("Defaults to %s, then %s.", envProse(attr), then)
}

// envPlain is the variables of attr for plain-text diagnostics: "A, B or C".
func envPlain(attr string) string {
	names := envNames(attr)
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
