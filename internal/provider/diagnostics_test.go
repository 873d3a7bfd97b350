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
	}{
		{"name invalid on user_name", nameInvalid, "ClientUser.NameInvalid", []string{"REQ-1", "The specified UserName is invalid."}, "user_name"},
		{"instance not found on smartag_id", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 400, Code: "SAG.InstanceNoFound", RequestID: "REQ-2"},
			"SAG.InstanceNoFound", []string{"REQ-2", "region"}, "smartag_id"},
		{"RAM denial names the action", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 403, Code: "Forbidden.RAM", RequestID: "REQ-3"},
			"Forbidden.RAM", []string{"smartag:DescribeUserOnlineClients", "REQ-3"}, ""},
		{"bad secret", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 400, Code: "SignatureDoesNotMatch", RequestID: "REQ-4"},
			"SignatureDoesNotMatch", []string{"credentials", "REQ-4"}, ""},
		{"unknown key", &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 404, Code: "InvalidAccessKeyId.NotFound", RequestID: "REQ-5"},
			"InvalidAccessKeyId.NotFound", []string{"credentials", "REQ-5"}, ""},
		{"retries exhausted", &sagclient.RetriesExhaustedError{Attempts: 6, Reason: "max_retries is 5", Err: &sagclient.APIError{Action: "DescribeUserOnlineClients", StatusCode: 400, Code: "Throttling.User", RequestID: "REQ-6"}},
			"Throttling.User after 6 attempts", []string{"max_retries is 5", "REQ-6"}, ""},
		{"no credentials", sagclient.ErrNoCredentials, "No Alibaba Cloud credentials", []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "~/.aliyun/config.json", "ecs_role_name", "ALIBABA_CLOUD_PROFILE"}, ""},
		{"no region", sagclient.ErrNoRegion, "No region", []string{"ALIBABA_CLOUD_REGION"}, ""},
		{"timeout", fmt.Errorf("stopped: %w", context.DeadlineExceeded), "timed out", []string{"2m0s", "timeouts.read"}, ""},
		{"assume role failed", &sagclient.CredentialError{Source: "assume_role(static access key)", Err: &sagclient.APIError{Action: "AssumeRole", StatusCode: 404, Code: "EntityNotExist.Role", RequestID: "STS-1"}},
			"credentials", []string{"EntityNotExist.Role", "STS-1", "assume_role"}, ""},
		{"transport", &sagclient.TransportError{Endpoint: "https://smartag.cn-shanghai.aliyuncs.com", Err: errors.New("connection refused")},
			"Could not reach", []string{"https://smartag.cn-shanghai.aliyuncs.com", "connection refused"}, ""},
		{"decode", &sagclient.DecodeError{Action: "DescribeUserOnlineClients", StatusCode: 200, Snippet: "<html>", Err: errors.New("bad")},
			"Unexpected answer", []string{"HTTP 200", "<html>"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			summary, detail, attr := describeReadError(tc.err, 2*time.Minute)
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
