package provider

import (
	"strings"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// apiErrorHint is advice, in this provider's terms, on what to do about a
// well-known API error, or "".
func apiErrorHint(e *sagclient.APIError) string {
	assumeRole := e.Action == sagclient.ActionAssumeRole
	switch {
	case assumeRole && (e.Code == "NoPermission" || e.Code == "Forbidden.RAM" || e.Code == "Forbidden"):
		return "The role's trust policy must let these credentials assume it (sts:AssumeRole), and assume_role.external_id must match the one it requires, if any."
	case assumeRole && strings.HasPrefix(e.Code, "EntityNotExist"):
		return "Check assume_role.role_arn: no such role in that account."
	case e.Action == sagclient.ActionAssumeRoleWithOIDC && e.Code == "EntityNotExist.OIDCProvider":
		return "Check oidc_provider_arn: no such OIDC identity provider in RAM."
	case e.Action == sagclient.ActionAssumeRoleWithOIDC && strings.HasPrefix(e.Code, "AuthenticationFail.OIDCToken"):
		return "STS did not accept the token in oidc_token_file: it must be a current token issued for the OIDC provider's client ID."
	case e.Action == sagclient.ActionAssumeRoleWithOIDC && (e.Code == "NoPermission" || strings.HasPrefix(e.Code, "EntityNotExist")):
		return "Check role_arn: the role must exist and its trust policy must trust the OIDC provider."
	case e.Code == "SAG.InstanceNoFound":
		return "Check the smartag_id and the region: an instance is only found in the region it belongs to."
	case e.Code == "SAG.InstanceIdEmpty":
		return "Set smartag_id to the ID of the SAG instance."
	case e.Code == "ClientUser.NameInvalid", e.Code == "ClientUser.NameEmpty":
		return "Check the account name (user_name or user_names): it must be the name of a client account of this SAG instance."
	case e.Code == "SignatureDoesNotMatch":
		return "Check the credentials: the secret_key does not match the access_key."
	case e.Code == "InvalidAccessKeyId.NotFound", e.Code == "InvalidAccessKeyId.Inactive":
		return "Check the credentials: the access key ID is unknown or disabled."
	case strings.HasPrefix(e.Code, "InvalidSecurityToken"):
		return "Check the credentials: the STS security_token is missing, malformed or expired."
	case e.Code == "Forbidden.RAM", e.Code == "Forbidden", e.Code == "NoPermission":
		return "The RAM policy of these credentials must allow the action smartag:" + e.Action + "."
	case strings.HasPrefix(e.Code, "InvalidTimeStamp"):
		return "Check this machine's clock: requests are refused when it is more than 15 minutes off."
	case strings.HasPrefix(e.Code, "Throttling"):
		return "The API's flow control refused the request. The provider slows down and sends throttled requests again until timeouts.read passes: raise it if reads run out of time, or set max_requests_per_second if other tools share the quota."
	case e.Code == "" && e.StatusCode >= 500:
		return "The endpoint or a gateway in front of it failed; check endpoint, or try again later."
	}
	return ""
}
