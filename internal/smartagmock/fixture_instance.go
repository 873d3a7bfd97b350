package smartagmock

import (
	"cmp"
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

// DefaultCreateTime is an instance's creation time when the fixture gives
// none: a fixed instant, so answers do not depend on when the mock started.
const DefaultCreateTime = "2025-01-01T00:00:00Z"

// defaultLifetime is how long an instance runs when the fixture gives no
// end_time: the usual subscription lengths are one to three years.
const defaultLifetime = 3

const (
	defaultStatus    = "Active"
	maxNameLen       = 128
	maxDescLen       = 256
	maxStatusLen     = 32
	maxUserMailLen   = 128
	maxBandwidthKbps = 10_000_000 // 10 Gbit/s: anything above is a typo
)

// instance checks one fixture instance; p is its field path.
func (v *validator) instance(p string, in Instance) {
	switch {
	case in.SmartAGID == "":
		v.add(p+".smartag_id", "must not be empty")
	case !idrules.SmartAGIDPattern.MatchString(in.SmartAGID):
		v.add(p+".smartag_id", idrules.SmartAGIDRule)
	}
	switch {
	case in.Region == "":
		v.add(p+".region", "must not be empty")
	case !idrules.RegionPattern.MatchString(in.Region):
		v.add(p+".region", idrules.RegionRule)
	}
	v.text(p+".name", in.Name, maxNameLen)
	v.text(p+".description", in.Description, maxDescLen)
	if in.Status != "" && !validStatus(in.Status) {
		v.add(p+".status", "must be 1-%d ASCII letters such as Active or Inactive, got %q", maxStatusLen, in.Status)
	}
	if in.CidrBlock != "" {
		if pfx, err := netip.ParsePrefix(in.CidrBlock); err != nil || pfx.Masked() != pfx {
			v.add(p+".cidr_block", "must be a CIDR block such as 10.10.0.0/16, got %q", in.CidrBlock)
		}
	}
	created, createdOK := v.instant(p+".create_time", in.CreateTime)
	ended, endedOK := v.instant(p+".end_time", in.EndTime)
	if createdOK && endedOK && in.EndTime != "" && !ended.After(created) {
		v.add(p+".end_time", "must be after create_time")
	}
	seenUsers := map[string]int{}
	for j, u := range in.Users {
		up := fmt.Sprintf("%s.users[%d]", p, j)
		if k, dup := seenUsers[u.UserName]; dup && u.UserName != "" {
			v.add(up+".user_name", "duplicate user %q (also %s.users[%d])", u.UserName, p, k)
		} else {
			seenUsers[u.UserName] = j
		}
		v.user(up, u)
	}
}

// user checks one client account; p is its field path.
func (v *validator) user(p string, u User) {
	switch {
	case u.UserName == "":
		v.add(p+".user_name", "must not be empty")
	case !validUserName(u.UserName):
		v.add(p+".user_name", "invalid user name %q: %s", u.UserName, idrules.UserNameRule)
	}
	if u.UserMail != "" && !validUserMail(u.UserMail) {
		v.add(p+".user_mail", "must look like name@example.com (at most %d characters, no spaces), got %q", maxUserMailLen, u.UserMail)
	}
	if u.BandwidthKbps < 0 || u.BandwidthKbps > maxBandwidthKbps {
		v.add(p+".bandwidth_kbps", "must be between 0 and %d, got %d", maxBandwidthKbps, u.BandwidthKbps)
	}
	for k, c := range u.Clients {
		cp := fmt.Sprintf("%s.clients[%d]", p, k)
		if _, err := netip.ParseAddr(c.ClientIP); err != nil {
			v.add(cp+".client_ip", "must be an IPv4 or IPv6 address, got %q", c.ClientIP)
		}
		if !validUnixSeconds(c.OnlineTime) {
			v.add(cp+".online_time", "must be unix seconds as a decimal string, got %q", c.OnlineTime)
		}
	}
}

// text checks a free-text field: bounded, valid UTF-8, no control characters
// (they would break the XML answer).
func (v *validator) text(path, s string, maxLen int) {
	switch {
	case !utf8.ValidString(s):
		v.add(path, "must be valid UTF-8")
	case utf8.RuneCountInString(s) > maxLen:
		v.add(path, "must be at most %d characters", maxLen)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		v.add(path, "must not contain control characters")
	}
}

// instant parses an optional RFC 3339 time; ok is false when s is set but
// unparsable (the problem is reported).
func (v *validator) instant(path, s string) (t time.Time, ok bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		v.add(path, "must be an RFC 3339 time such as 2025-01-01T00:00:00Z, got %q", s)
		return time.Time{}, false
	}
	return t, true
}

func validStatus(s string) bool {
	if len(s) > maxStatusLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) {
			return false
		}
	}
	return s != ""
}

func isASCIILetter(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

// validUserMail is deliberately loose: one '@' between non-empty parts,
// printable ASCII without spaces, so it can travel in a query unescaped
// by humans and still be compared exactly.
func validUserMail(s string) bool {
	if len(s) > maxUserMailLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && domain != "" && !strings.Contains(domain, "@")
}

// instanceTimes returns the creation and end instants in unix milliseconds,
// with the documented defaults. The fixture was validated, so parsing the
// set values cannot fail.
func instanceTimes(in Instance) (createMS, endMS int64) {
	created, err := time.Parse(time.RFC3339, cmp.Or(in.CreateTime, DefaultCreateTime))
	if err != nil {
		panic("smartagmock: unvalidated create_time: " + err.Error())
	}
	ended := created.AddDate(defaultLifetime, 0, 0)
	if in.EndTime != "" {
		if ended, err = time.Parse(time.RFC3339, in.EndTime); err != nil {
			panic("smartagmock: unvalidated end_time: " + err.Error())
		}
	}
	return created.UnixMilli(), ended.UnixMilli()
}
