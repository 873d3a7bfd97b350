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

// readFailure is a failed read as the diagnostics describe it.
type readFailure struct {
	err error
	// readTimeout is timeouts.read; timedOut says it passed (the read's own
	// context ended), as opposed to one attempt's client_read_timeout.
	readTimeout time.Duration
	timedOut    bool
	// hasAttribute says whether the data source read has a top-level
	// attribute of that name: an API error is reported on the attribute it
	// is about (errorCodeAttributes) when the data source has it.
	hasAttribute func(name string) bool
}

// addReadError turns a client error into a diagnostic that names the API
// error code and request ID, on the attribute at fault where there is one.
// Every text goes through the client's scrubber first.
func addReadError(ctx context.Context, diags *diag.Diagnostics, client *sagclient.Client, f readFailure) {
	f.timedOut = f.timedOut || errors.Is(context.Cause(ctx), context.DeadlineExceeded)
	summary, detail, attr := describeReadError(f)
	detail = client.Scrub(detail)
	if attr != nil {
		diags.AddAttributeError(*attr, summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

// errorCodeAttributes are the attributes that API error codes are about,
// for every data source that has them.
var errorCodeAttributes = map[string]string{
	"SAG.InstanceNoFound":    "smartag_id",
	"SAG.InstanceIdEmpty":    "smartag_id",
	"ClientUser.NameInvalid": "user_name",
	"ClientUser.NameEmpty":   "user_name",
	// Not documented by the API reference: what the project's mock answers
	// for a change of an unknown account (see the actions).
	"ClientUser.NotExist": "user_name",
}

func describeReadError(f readFailure) (string, string, *path.Path) {
	err := f.err
	var (
		apiErr       *sagclient.APIError
		credErr      *sagclient.CredentialError
		transportErr *sagclient.TransportError
		decodeErr    *sagclient.DecodeError
		retriesErr   *sagclient.RetriesExhaustedError
		stoppedErr   *sagclient.StoppedError
		unknownErr   *sagclient.UnknownAccountsError
		listingErr   *sagclient.InconsistentListingError
	)
	isStopped := errors.As(err, &stoppedErr)
	switch {
	case errors.Is(err, sagclient.ErrNoCredentials):
		return "No Alibaba Cloud credentials found", noCredentialsDetail(), nil
	case errors.Is(err, sagclient.ErrIncompleteKeyPair):
		return "Incomplete access key", fmt.Sprintf("%v. Set both access_key (or %s) and secret_key (or %s), or neither.",
			err, envPlain("access_key"), envPlain("secret_key")), nil
	case errors.Is(err, sagclient.ErrNoRegion):
		return "No region configured", "Set region on this data source or on the provider, or the environment variable " +
			envPlain("region") + ", or region_id in the Alibaba Cloud CLI profile named by profile.", nil
	case errors.As(err, &unknownErr):
		p := path.Root("user_names")
		return "Unknown account in user_names", fmt.Sprintf("%v. Check user_names: every name must be a client account "+
			"of the instance (a typo must not pass an audit).", unknownErr), &p
	case f.timedOut && errors.As(err, &credErr):
		// Still waiting for STS, the metadata service or a credentials
		// URI: say so, not that Smartag was slow.
		return "Timed out obtaining Alibaba Cloud credentials", fmt.Sprintf("No credentials could be obtained from %s within %s "+
			"(timeouts.read); no Smartag request was sent.\n\n%v\n\nCheck where this source fetches its credentials (sts_endpoint "+
			"for STS, credentials_uri, the ECS metadata service) and the network to it, or raise timeouts.read.",
			credErr.Source, f.readTimeout, credErr.Err), nil
	case f.timedOut || errors.Is(err, context.DeadlineExceeded) && isStopped:
		detail := fmt.Sprintf("Reading from Smartag did not finish within %s (timeouts.read), retries included.\n\n%v", f.readTimeout, err)
		if stoppedErr != nil && stoppedErr.Throttled > 0 || stoppedErr != nil && stoppedErr.WhileWaiting {
			detail += "\n\nThe API's flow control slowed this read down. Raise timeouts.read, or lower max_requests_per_second " +
				"only if other tools share this account's quota."
		} else {
			detail += "\n\nRaise timeouts.read, or check the endpoint and the network."
		}
		return "Read timed out", detail, nil
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
			detail = fmt.Sprintf("The request was retried and still failed: %s.\n\n%s", retryLimitText(retriesErr), detail)
		}
		return summary, detail, attributeFor(f.hasAttribute, apiErr)
	case errors.As(err, &transportErr):
		detail := fmt.Sprintf("No answer from the Smartag endpoint %s: %v", transportErr.Endpoint, transportErr.Err)
		if about := transportErr.About.String(); about != "" {
			detail = fmt.Sprintf("No answer from the Smartag endpoint %s for %s: %v", transportErr.Endpoint, about, transportErr.Err)
		}
		if errors.As(err, &retriesErr) {
			detail = fmt.Sprintf("%s\n\nIt was tried %d times: %s.", detail, retriesErr.Attempts, retryLimitText(retriesErr))
		}
		var (
			redirectErr *sagclient.RedirectError
			proxyErr    *sagclient.ProxyError
		)
		switch {
		case errors.Is(err, sagclient.ErrAnswerTooLarge):
			return "Smartag answer too large", detail, nil
		case errors.As(err, &redirectErr):
			return "Smartag endpoint redirects", detail + "\n\nIf the service has moved, set endpoint to the new address; " +
				"a signed request is never sent anywhere else.", nil
		case errors.As(err, &proxyErr) && proxyErr.StatusCode == 407:
			return "Proxy authentication required", detail + "\n\nThe proxy wants credentials: put them in HTTPS_PROXY " +
				"(https://user:password@proxy:port), or add the endpoint's host to NO_PROXY.", nil
		case errors.As(err, &proxyErr):
			return "Proxy refused the connection", detail + "\n\nCheck HTTPS_PROXY and NO_PROXY.", nil
		}
		if errors.Is(err, context.DeadlineExceeded) {
			// The read's own deadline did not pass (checked above): each
			// attempt ran into client_read_timeout.
			return "Smartag did not answer in time", detail + "\n\nEach attempt ran out of client_read_timeout (or " +
				"client_connect_timeout); raise it if the endpoint is slow, or check the endpoint and the network.", nil
		}
		return "Could not reach Smartag", detail + "\n\nCheck endpoint, the network, any proxy (HTTPS_PROXY), and client_connect_timeout / client_read_timeout.", nil
	case errors.As(err, &listingErr):
		return "Incomplete listing from Smartag", listingErrorDetail(listingErr), nil
	case errors.As(err, &decodeErr):
		return "Unexpected answer from Smartag", fmt.Sprintf("%v\n\nThe endpoint did not answer as the Smartag API does; check endpoint.", decodeErr), nil
	default:
		return "Smartag read failed", err.Error(), nil
	}
}

// listingErrorDetail says which listing could not be proved complete,
// where, and why, with the request IDs that support can trace.
func listingErrorDetail(e *sagclient.InconsistentListingError) string {
	var b strings.Builder
	unit := strings.ToUpper(e.Unit()[:1]) + e.Unit()[1:]
	fmt.Fprintf(&b, "Action:      %s\n", e.Action)
	if about := e.About.String(); about != "" {
		fmt.Fprintf(&b, "Concerning:  %s\n", about)
	}
	fmt.Fprintf(&b, "%-12s %d\n", unit+":", e.Page)
	fmt.Fprintf(&b, "Problem:     %s\n", e.Problem)
	if len(e.RequestIDs) > 0 {
		fmt.Fprintf(&b, "Request IDs: %s\n", strings.Join(e.RequestIDs, ", "))
	}
	if e.First != nil {
		fmt.Fprintf(&b, "The first reading: %s %d: %s", e.First.Unit(), e.First.Page, e.First.Problem)
		if len(e.First.RequestIDs) > 0 {
			fmt.Fprintf(&b, " (request IDs %s)", strings.Join(e.First.RequestIDs, ", "))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nThe listing was read twice and could not be proved complete either time, so no partial result " +
		"is returned: an audit is complete or it fails. Run the plan again; if this persists, give the request IDs to " +
		"Alibaba Cloud support.")
	return b.String()
}

// retryLimitText says which limit ended the retries, in the provider's
// terms.
func retryLimitText(e *sagclient.RetriesExhaustedError) string {
	if e.Limit == sagclient.LimitDeadline {
		return "the next retry would have passed timeouts.read"
	}
	return fmt.Sprintf("max_retries (%d) was reached", e.MaxRetries)
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
	if about := e.About.String(); about != "" {
		fmt.Fprintf(&b, "Concerning: %s\n", about)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, "Code:       %s\n", e.Code)
	}
	fmt.Fprintf(&b, "Message:    %s\n", e.Message)
	fmt.Fprintf(&b, "HTTP:       %d\n", e.StatusCode)
	if e.RequestID != "" {
		fmt.Fprintf(&b, "Request ID: %s\n", e.RequestID)
	}
	if hint := apiErrorHint(e); hint != "" {
		b.WriteString("\n")
		b.WriteString(hint)
	}
	return strings.TrimRight(b.String(), "\n")
}

// attributeFor is the attribute an API error is about, if the data source
// has it.
func attributeFor(hasAttribute func(string) bool, e *sagclient.APIError) *path.Path {
	name, ok := errorCodeAttributes[e.Code]
	if !ok || hasAttribute == nil || !hasAttribute(name) {
		return nil
	}
	p := path.Root(name)
	return &p
}

// noCredentialsDetail names every source of the chain, in order, with the
// arguments and environment variables (from envVars) that set it.
func noCredentialsDetail() string {
	return fmt.Sprintf(`The smartag provider looked for credentials in these places, in this order, and found none:

  1. The provider arguments access_key and secret_key (with security_token for STS credentials),
     or the environment variables %s
     and %s (with %s).
  2. A profile of the Alibaba Cloud CLI, read only when one is named: profile or %s,
     in shared_credentials_file, %s, or ~/.aliyun/config.json.
  3. A credentials service: credentials_uri or %s.
  4. The RAM role of the ECS instance Terraform runs on: ecs_role_name or %s.
  5. An OIDC token (Kubernetes RRSA, CI identity tokens): an assume_role_with_oidc block, whose arguments
     default to %s, %s and %s.

Set one of these. An assume_role block can then assume a RAM role with them.`,
		envPlain("access_key"), envPlain("secret_key"), envPlain("security_token"),
		envPlain("profile"), envPlain("shared_credentials_file"), envPlain("credentials_uri"), envPlain("ecs_role_name"),
		envPlain("assume_role_with_oidc.oidc_provider_arn"), envPlain("assume_role_with_oidc.oidc_token_file"),
		envPlain("assume_role_with_oidc.role_arn"))
}
