package sagclient

import (
	"fmt"
	"strings"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

// Subject is what a request concerns, so that a failure deep inside a
// fan-out of hundreds of requests still names the instance and account.
type Subject struct {
	SmartAGID string
	UserName  string
	// Page is the page number of a listing, 0 when not paged.
	Page int
	// UserNames are the accounts of a statistics batch.
	UserNames []string
}

// String is a short English description such as
// `account "alice" of sag-abc`, or "" when there is nothing to say.
func (s Subject) String() string {
	var parts []string
	switch {
	case s.UserName != "":
		parts = append(parts, "account "+idrules.Quote(s.UserName))
	case len(s.UserNames) == 1:
		parts = append(parts, "account "+idrules.Quote(s.UserNames[0]))
	case len(s.UserNames) > 1:
		parts = append(parts, fmt.Sprintf("%d accounts from %s to %s", len(s.UserNames), idrules.Quote(s.UserNames[0]), idrules.Quote(s.UserNames[len(s.UserNames)-1])))
	}
	if s.Page > 0 {
		parts = append(parts, fmt.Sprintf("page %d", s.Page))
	}
	out := strings.Join(parts, ", ")
	if s.SmartAGID != "" {
		if out != "" {
			out += " of "
		}
		out += idrules.Cut(s.SmartAGID, idrules.MaxEcho)
	}
	return out
}

// addTo adds the subject to a log line's fields.
func (s Subject) addTo(fields map[string]any) {
	if s.SmartAGID != "" {
		fields["smartag_id"] = idrules.Cut(s.SmartAGID, idrules.MaxEcho)
	}
	if s.UserName != "" {
		fields["user_name"] = idrules.Cut(s.UserName, idrules.MaxEcho)
	}
	if s.Page > 0 {
		fields["page"] = s.Page
	}
	if len(s.UserNames) > 0 {
		fields["user_names"] = len(s.UserNames)
	}
}

// withSubject records on err what its request concerned. Only an error
// made for this request is changed: one reached through wrapping may be
// another request's (a cancelled attempt carries the failure of the
// sibling that cancelled it as its cause).
func withSubject(err error, about Subject) error {
	switch e := err.(type) { //nolint:errorlint // deliberately not errors.As, see above
	case *APIError:
		e.About = about
	case *DecodeError:
		e.About = about
	case *TransportError:
		e.About = about
	}
	return err
}
