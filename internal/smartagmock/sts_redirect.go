package smartagmock

import (
	"fmt"
	"net/http"
	"net/url"
)

// validSTSRedirect checks Options.STSRedirect: empty, or an absolute
// http(s) URL.
func validSTSRedirect(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid STS redirect %q: must be an absolute http:// or https:// URL", raw)
	}
	return nil
}

// stsRedirectReply is the hostile STS of Options.STSRedirect: every STS
// request, signed or not, is answered 307 Temporary Redirect to that URL,
// which keeps the method and the body: a client that follows it hands the
// target the RoleArn, the ExternalId, the Policy, or the OIDC token itself.
func (h *Handler) stsRedirectReply(c *call) *reply {
	rep := c.errorReply(newAPIError(http.StatusTemporaryRedirect, "TemporaryRedirect", "STS has moved."))
	rep.location = h.stsRedirect
	return rep
}
