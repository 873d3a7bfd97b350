package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

func TestDescribeReadError(t *testing.T) {
	nameInvalid := &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 400, Code: "ClientUser.NameInvalid", Message: "The specified UserName is invalid.", RequestID: "REQ-1"}
	cases := []struct {
		name        string
		err         error
		wantSummary string
		wantDetail  []string
		wantAttr    string
		timedOut    bool
	}{
		{"name invalid on user_name", nameInvalid, "ClientUser.NameInvalid", []string{"REQ-1", "The specified UserName is invalid."}, "user_name", false},
		{"instance not found on smartag_id", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 400, Code: "SAG.InstanceNoFound", RequestID: "REQ-2"},
			"SAG.InstanceNoFound", []string{"REQ-2", "region"}, "smartag_id", false},
		{"RAM denial names the action", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 403, Code: "Forbidden.RAM", RequestID: "REQ-3"},
			"Forbidden.RAM", []string{"smartag:DescribeUserOnlineClients", "REQ-3"}, "", false},
		{"bad secret", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 400, Code: "SignatureDoesNotMatch", RequestID: "REQ-4"},
			"SignatureDoesNotMatch", []string{"credentials", "REQ-4"}, "", false},
		{"unknown key", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 404, Code: "InvalidAccessKeyId.NotFound", RequestID: "REQ-5"},
			"InvalidAccessKeyId.NotFound", []string{"credentials", "REQ-5"}, "", false},
		{"retries exhausted", &sagclient.RetriesExhaustedError{Attempts: 6, Limit: sagclient.LimitMaxRetries, MaxRetries: 5, Err: &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 400, Code: "Throttling.User", RequestID: "REQ-6"}},
			"Throttling.User after 6 attempts", []string{"max_retries (5) was reached", "REQ-6"}, "", false},
		{"no credentials", sagclient.ErrNoCredentials, "No Alibaba Cloud credentials", []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "~/.aliyun/config.json", "ecs_role_name", "ALIBABA_CLOUD_PROFILE"}, "", false},
		{"half a key pair", fmt.Errorf("%w: the secret is set, its access key ID is missing", sagclient.ErrIncompleteKeyPair), "Incomplete access key",
			[]string{"access key ID is missing", "access_key (or ALICLOUD_ACCESS_KEY", "secret_key"}, "", false},
		{"no region", sagclient.ErrNoRegion, "No region", []string{"ALIBABA_CLOUD_REGION"}, "", false},
		{"read deadline", &sagclient.StoppedError{Action: "DescribeUserOnlineClients", Attempts: 2, Err: context.DeadlineExceeded}, "Read timed out", []string{"2m0s", "timeouts.read"}, "", true},
		{"read deadline while throttled", &sagclient.StoppedError{Action: "DescribeSmartAccessGatewayClientUsers", Attempts: 9, Throttled: 8, WhileWaiting: true, Err: context.DeadlineExceeded},
			"Read timed out", []string{"DescribeSmartAccessGatewayClientUsers", "8 of them refused by throttling", "flow control", "timeouts.read"}, "", true},
		{"attempt timeouts exhaust the retries", &sagclient.RetriesExhaustedError{Attempts: 6, Limit: sagclient.LimitMaxRetries, MaxRetries: 5,
			Err: &sagclient.TransportError{Endpoint: "https://smartag.cn-shanghai.aliyuncs.com", Err: fmt.Errorf("read: %w", context.DeadlineExceeded)}},
			"did not answer in time", []string{"client_read_timeout", "tried 6 times", "max_retries (5)"}, "", false},
		{"unknown accounts on user_names", &sagclient.UnknownAccountsError{SmartAGID: "sag-abc", Names: []string{"alcie"}},
			"Unknown account", []string{`"alcie"`, "sag-abc"}, "user_names", false},
		{"audit error names the account", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 403, Code: "Forbidden.RAM", RequestID: "REQ-7",
			About: sagclient.Subject{SmartAGID: "sag-abc", UserName: "dave"}},
			"Forbidden.RAM", []string{`account "dave" of sag-abc`, "REQ-7", "smartag:DescribeUserOnlineClients"}, "", false},
		{"assume role failed", &sagclient.CredentialError{Source: "assume_role(static access key)", Err: &sagclient.APIError{Action: "AssumeRole", StatusCode: 404, Code: "EntityNotExist.Role", RequestID: "STS-1"}},
			"credentials", []string{"EntityNotExist.Role", "STS-1", "assume_role"}, "", false},
		{"hung STS", &sagclient.CredentialError{Source: "assume_role(static access key)",
			Err: fmt.Errorf("no credentials from STS AssumeRole at https://127.0.0.1:8443 when the read ended: %w", context.DeadlineExceeded)},
			"Timed out obtaining Alibaba Cloud credentials", []string{"assume_role(static access key)", "STS AssumeRole at https://127.0.0.1:8443", "sts_endpoint", "2m0s"}, "", true},
		{"transport", &sagclient.TransportError{Endpoint: "https://smartag.cn-shanghai.aliyuncs.com", Err: errors.New("connection refused")},
			"Could not reach", []string{"https://smartag.cn-shanghai.aliyuncs.com", "connection refused"}, "", false},
		{"redirect", &sagclient.TransportError{Endpoint: "https://smartag.cn-shanghai.aliyuncs.com", Err: &sagclient.RedirectError{StatusCode: 307, Location: "http://elsewhere.example"}},
			"redirects", []string{"HTTP 307", "http://elsewhere.example", "set endpoint"}, "", false},
		{"proxy wants credentials", &sagclient.TransportError{Endpoint: "https://smartag.cn-shanghai.aliyuncs.com", Err: &sagclient.ProxyError{Proxy: "http://proxy:3128", Target: "smartag.cn-shanghai.aliyuncs.com:443", StatusCode: 407, Status: "407 Proxy Authentication Required"}},
			"Proxy authentication required", []string{"http://proxy:3128", "HTTPS_PROXY"}, "", false},
		{"decode", &sagclient.DecodeError{Action: "DescribeUserOnlineClients", StatusCode: 200, Snippet: "<html>", Err: errors.New("bad")},
			"Unexpected answer", []string{"HTTP 200", "<html>"}, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			summary, detail, attr := describeReadError(readFailure{err: tc.err, readTimeout: 2 * time.Minute, timedOut: tc.timedOut, hasAttribute: func(name string) bool { return name == "smartag_id" || name == "user_name" || name == "user_names" }})
			if !strings.Contains(summary, tc.wantSummary) {
				t.Errorf("summary %q lacks %q", summary, tc.wantSummary)
			}
			for _, want := range tc.wantDetail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail lacks %q:\n%s", want, detail)
				}
			}
			switch {
			case tc.wantAttr == "" && attr != nil:
				t.Errorf("unexpected attribute %s", attr)
			case tc.wantAttr != "" && (attr == nil || !attr.Equal(path.Root(tc.wantAttr))):
				t.Errorf("attribute %v, want %s", attr, tc.wantAttr)
			}
		})
	}
}

func TestAPIErrorHints(t *testing.T) {
	for code, want := range map[string]string{"NoPermission": "trust policy", "EntityNotExist.Role": "assume_role.role_arn"} {
		hint := apiErrorHint(&sagclient.APIError{Action: sagclient.ActionAssumeRole, Code: code, StatusCode: 403})
		if !strings.Contains(hint, want) || strings.Contains(hint, "smartag:") {
			t.Errorf("%s: hint %q should mention %q", code, hint, want)
		}
	}
	for code, want := range map[string]string{"EntityNotExist.OIDCProvider": "oidc_provider_arn", "AuthenticationFail.OIDCToken.Invalid": "oidc_token_file",
		"NoPermission": "trust the OIDC provider", "EntityNotExist.Role": "role_arn"} {
		hint := apiErrorHint(&sagclient.APIError{Action: sagclient.ActionAssumeRoleWithOIDC, Code: code, StatusCode: 400})
		if !strings.Contains(hint, want) || strings.Contains(hint, "smartag:") {
			t.Errorf("AssumeRoleWithOIDC %s: hint %q should mention %q", code, hint, want)
		}
	}
	if hint := apiErrorHint(&sagclient.APIError{Action: sagclient.ActionDescribeUserOnlineClientStatistics, Code: "Forbidden.RAM"}); !strings.Contains(hint, "smartag:DescribeUserOnlineClientStatistics") {
		t.Errorf("Smartag RAM denial hint: %q", hint)
	}
	if hint := apiErrorHint(&sagclient.APIError{Action: sagclient.ActionDescribeUserOnlineClients, StatusCode: 502}); hint == "" {
		t.Error("a gateway failure deserves a hint")
	}
}
