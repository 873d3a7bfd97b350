package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// addReadError turns a client error into a diagnostic that names the API
// error code and request ID, on the attribute at fault where there is one.
// Every text goes through the client's scrubber first.
func addReadError(diags *diag.Diagnostics, client *sagclient.Client, err error, readTimeout time.Duration) {
	summary, detail, attr := describeReadError(err, readTimeout)
	detail = client.Scrub(detail)
	if attr != nil {
		diags.AddAttributeError(*attr, summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

func describeReadError(err error, readTimeout time.Duration) (string, string, *path.Path) {
	var (
		apiErr       *sagclient.APIError
		credErr      *sagclient.CredentialError
		transportErr *sagclient.TransportError
		decodeErr    *sagclient.DecodeError
		retriesErr   *sagclient.RetriesExhaustedError
	)
	switch {
	case errors.Is(err, sagclient.ErrNoCredentials):
		return "No Alibaba Cloud credentials found", noCredentialsDetail, nil
	case errors.Is(err, sagclient.ErrNoRegion):
		return "No region configured", "Set region on this data source or on the provider, or the environment variable " +
			"ALIBABA_CLOUD_REGION (or ALICLOUD_REGION), or region_id in the Alibaba Cloud CLI profile in use.", nil
	case errors.Is(err, context.DeadlineExceeded):
		return "Read timed out", fmt.Sprintf("Reading from Smartag did not finish within %s (timeouts.read), retries included. "+
			"Raise timeouts.read, or check the endpoint and the network.\n\n%v", readTimeout, err), nil
	case errors.Is(err, context.Canceled):
		return "Read cancelled", fmt.Sprintf("The read was cancelled before it finished: %v", err), nil
	case errors.As(err, &credErr):
		detail := fmt.Sprintf("Credentials could not be obtained from %s.\n\n%v", credErr.Source, credErr.Err)
		if errors.As(credErr.Err, &apiErr) {
			detail += "\n\n" + apiErrorDetail(apiErr)
		}
		return "Could not obtain Alibaba Cloud credentials", detail, nil
	case errors.As(err, &apiErr):
		summary := "Smartag API error " + codeOrStatus(apiErr)
		detail := apiErrorDetail(apiErr)
		if errors.As(err, &retriesErr) {
			summary = fmt.Sprintf("Smartag API error %s after %d attempts", codeOrStatus(apiErr), retriesErr.Attempts)
			detail = fmt.Sprintf("The request %s.\n\n%s", retriesErr.Reason+"; it was retried and still failed", detail)
		}
		return summary, detail, attributeFor(apiErr.Code)
	case errors.As(err, &transportErr):
		detail := fmt.Sprintf("No answer from the Smartag endpoint %s: %v", transportErr.Endpoint, transportErr.Err)
		if errors.As(err, &retriesErr) {
			detail = fmt.Sprintf("No answer from the Smartag endpoint %s after %d attempts (%s): %v",
				transportErr.Endpoint, retriesErr.Attempts, retriesErr.Reason, transportErr.Err)
		}
		if errors.Is(err, sagclient.ErrAnswerTooLarge) {
			return "Smartag answer too large", detail, nil
		}
		return "Could not reach Smartag", detail + "\n\nCheck endpoint, the network, any proxy (HTTPS_PROXY), and client_connect_timeout / client_read_timeout.", nil
	case errors.As(err, &decodeErr):
		return "Unexpected answer from Smartag", fmt.Sprintf("%v\n\nThe endpoint did not answer as the Smartag API does; check endpoint.", decodeErr), nil
	default:
		return "Smartag read failed", err.Error(), nil
	}
}

func codeOrStatus(e *sagclient.APIError) string {
	if e.Code != "" {
		return e.Code
	}
	return fmt.Sprintf("(HTTP %d)", e.StatusCode)
}

func apiErrorDetail(e *sagclient.APIError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Action:     %s\n", e.Action)
	if e.Code != "" {
		fmt.Fprintf(&b, "Code:       %s\n", e.Code)
	}
	fmt.Fprintf(&b, "Message:    %s\n", e.Message)
	fmt.Fprintf(&b, "HTTP:       %d\n", e.StatusCode)
	if e.RequestID != "" {
		fmt.Fprintf(&b, "Request ID: %s\n", e.RequestID)
	}
	if hint := e.Hint(); hint != "" {
		b.WriteString("\n")
		b.WriteString(hint)
	}
	return strings.TrimRight(b.String(), "\n")
}

// attributeFor is the attribute an API error is about, if any.
func attributeFor(code string) *path.Path {
	var p path.Path
	switch code {
	case "ClientUser.NameInvalid", "ClientUser.NameEmpty":
		p = path.Root("user_name")
	case "SAG.InstanceNoFound", "SAG.InstanceIdEmpty":
		p = path.Root("smartag_id")
	default:
		return nil
	}
	return &p
}

//nolint:gosec // G101: names of credential sources, not a credential
const noCredentialsDetail = `The smartag provider looked for credentials in these places, in this order, and found none:

  1. The provider arguments access_key and secret_key (with security_token for STS credentials).
  2. The environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET
     (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), with ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials.
  3. A profile of the Alibaba Cloud CLI: the file shared_credentials_file, ALIBABA_CLOUD_CONFIG_FILE or
     ~/.aliyun/config.json (written by "aliyun configure"), profile named by profile, ALIBABA_CLOUD_PROFILE,
     the file's current profile, or "default".
  4. The RAM role of the ECS instance Terraform runs on: ecs_role_name or ALIBABA_CLOUD_ECS_METADATA.

Set one of these. An assume_role block (or ALIBABA_CLOUD_ROLE_ARN) can then assume a RAM role with them.`
