// Package smartagmock is a protocol-faithful mock of the Alibaba Cloud Smartag
// RPC API (DescribeUserOnlineClients, DescribeUserOnlineClientStatistics,
// DescribeSmartAccessGatewayClientUsers, DescribeSmartAccessGateways, and the
// changes KickOutClients, DisableSmartAccessGatewayUser,
// EnableSmartAccessGatewayUser) and of
// STS AssumeRole and AssumeRoleWithOIDC. It verifies
// signatures exactly like the real service so that real clients (the Go SDK,
// Node pop-core, hand-written signers) can be exercised without a cloud account.
package smartagmock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

// Fixture is the data the mock serves: who may call it and what it answers.
type Fixture struct {
	Credentials []Credential `json:"credentials"`
	Roles       []Role       `json:"roles,omitempty"`
	// OIDCProviders are the RAM OIDC identity providers that
	// AssumeRoleWithOIDC accepts tokens from.
	OIDCProviders []OIDCProvider `json:"oidc_providers,omitempty"`
	Instances     []Instance     `json:"instances"`
}

// OIDCProvider is a RAM OIDC identity provider and the tokens it has
// issued, for STS AssumeRoleWithOIDC. The mock does not verify JWTs: a
// token is valid when it is one of Tokens.
type OIDCProvider struct {
	ARN    string   `json:"arn"`
	Tokens []string `json:"tokens"`
}

// Credential is an AccessKey pair the mock accepts.
type Credential struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"security_token,omitempty"` // set => requests must carry this SecurityToken
	DenyRAM         bool   `json:"deny_ram,omitempty"`       // => 403 Forbidden.RAM on Smartag actions
}

// Role is a RAM role that STS AssumeRole may assume; with
// OIDCProviderARN, its trust policy also lets that OIDC provider's tokens
// assume it with AssumeRoleWithOIDC.
type Role struct {
	RoleARN         string `json:"role_arn"`
	ExternalID      string `json:"external_id,omitempty"`
	OIDCProviderARN string `json:"oidc_provider_arn,omitempty"`
}

// Instance is a SAG app (software) instance in one region. The optional
// fields only feed DescribeSmartAccessGateways.
type Instance struct {
	SmartAGID   string `json:"smartag_id"`
	Region      string `json:"region"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status,omitempty"`      // "" => "Active"
	CidrBlock   string `json:"cidr_block,omitempty"`  // e.g. "10.10.0.0/16"
	CreateTime  string `json:"create_time,omitempty"` // RFC 3339; "" => DefaultCreateTime
	EndTime     string `json:"end_time,omitempty"`    // RFC 3339; "" => CreateTime + 3 years
	Users       []User `json:"users"`
}

// User is a client account of an instance; Clients are its online
// connections. A disabled account may still have a live session.
type User struct {
	UserName      string   `json:"user_name"`
	UserMail      string   `json:"user_mail,omitempty"`
	Enabled       *bool    `json:"enabled,omitempty"` // nil => enabled
	BandwidthKbps int      `json:"bandwidth_kbps,omitempty"`
	Clients       []Client `json:"clients"`
}

// IsEnabled reports whether the account is enabled (the default).
func (u User) IsEnabled() bool { return u.Enabled == nil || *u.Enabled }

// Client is one online connection of a user.
type Client struct {
	ClientIP   string `json:"client_ip"`
	OnlineTime string `json:"online_time"`
}

// maxFixtureErrors bounds how many problems one validation reports, so a
// badly broken file does not drown the one line a human reads.
const maxFixtureErrors = 20

var (
	oidcProviderARNPattern = regexp.MustCompile(`^acs:ram::[0-9]{1,32}:oidc-provider/[\w.-]{1,128}$`)
	externalIDPattern      = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	unixSecPattern         = regexp.MustCompile(`^[0-9]{1,19}$`)
)

// ParseFixture decodes a fixture strictly (unknown fields are refused) and
// validates it; errors name the offending field path.
func ParseFixture(data []byte) (*Fixture, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Fixture
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse fixture: %w", err)
	}
	// A second document or trailing garbage is almost certainly a mistake.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("parse fixture: unexpected data after the top-level object")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// LoadFixture reads and parses a fixture file.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load fixture %s: %w", path, err)
	}
	f, err := ParseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("load fixture %s: %w", path, err)
	}
	return f, nil
}

// Validate checks every rule ParseFixture applies; it is exported so that
// fixtures built in Go get the same checks (NewHandler calls it).
func (f *Fixture) Validate() error {
	v := &validator{}
	if len(f.Credentials) == 0 {
		v.add("credentials", "at least one credential is required")
	}
	seenKeys := map[string]int{}
	for i, c := range f.Credentials {
		p := fmt.Sprintf("credentials[%d]", i)
		v.token(p+".access_key_id", c.AccessKeyID, 128, true)
		v.token(p+".access_key_secret", c.AccessKeySecret, 256, true)
		v.token(p+".security_token", c.SecurityToken, 4096, false)
		if j, dup := seenKeys[c.AccessKeyID]; dup && c.AccessKeyID != "" {
			v.add(p+".access_key_id", "duplicate of credentials[%d]", j)
		} else {
			seenKeys[c.AccessKeyID] = i
		}
	}
	seenRoles := map[string]int{}
	for i, r := range f.Roles {
		p := fmt.Sprintf("roles[%d]", i)
		switch {
		case r.RoleARN == "":
			v.add(p+".role_arn", "must not be empty")
		case !idrules.RoleARNPattern.MatchString(r.RoleARN):
			v.add(p+".role_arn", idrules.RoleARNRule)
		}
		if r.OIDCProviderARN != "" && !oidcProviderARNPattern.MatchString(r.OIDCProviderARN) {
			v.add(p+".oidc_provider_arn", "must be acs:ram::<account-id>:oidc-provider/<name>")
		}
		if r.ExternalID != "" && !validExternalID(r.ExternalID) {
			v.add(p+".external_id", `must be 2-1224 characters of letters, digits and "_+=,.@:/-"`)
		}
		key := strings.ToLower(r.RoleARN)
		if j, dup := seenRoles[key]; dup && r.RoleARN != "" {
			v.add(p+".role_arn", "duplicate of roles[%d]", j)
		} else {
			seenRoles[key] = i
		}
	}
	for i, o := range f.OIDCProviders {
		p := fmt.Sprintf("oidc_providers[%d]", i)
		if !oidcProviderARNPattern.MatchString(o.ARN) {
			v.add(p+".arn", "must be acs:ram::<account-id>:oidc-provider/<name>")
		}
		if len(o.Tokens) == 0 {
			v.add(p+".tokens", "at least one token is required")
		}
		for j, tok := range o.Tokens {
			if len(tok) < minOIDCToken || len(tok) > maxOIDCToken {
				v.add(fmt.Sprintf("%s.tokens[%d]", p, j), "must be %d to %d characters", minOIDCToken, maxOIDCToken)
			}
		}
	}
	seenInstances := map[string]int{}
	for i, in := range f.Instances {
		p := fmt.Sprintf("instances[%d]", i)
		if j, dup := seenInstances[in.SmartAGID]; dup && in.SmartAGID != "" {
			v.add(p+".smartag_id", "duplicate smartag_id %q (also instances[%d])", in.SmartAGID, j)
		} else {
			seenInstances[in.SmartAGID] = i
		}
		v.instance(p, in)
	}
	return v.err()
}

// validExternalID is STS's rule: 2-1224 characters of [\w+=,.@:/-].
func validExternalID(s string) bool {
	return len(s) >= 2 && len(s) <= 1224 && externalIDPattern.MatchString(s)
}

// validUnixSeconds accepts what the real API sends: a decimal count of seconds.
func validUnixSeconds(s string) bool {
	if !unixSecPattern.MatchString(s) {
		return false
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// validator collects field errors so one pass reports several problems.
type validator struct {
	errs    []error
	dropped int
}

func (v *validator) add(path, format string, args ...any) {
	if len(v.errs) >= maxFixtureErrors {
		v.dropped++
		return
	}
	v.errs = append(v.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

// token checks a credential-like string: bounded, printable ASCII, no spaces,
// because such values travel in signed query strings.
func (v *validator) token(path, s string, maxLen int, required bool) {
	if s == "" {
		if required {
			v.add(path, "must not be empty")
		}
		return
	}
	if len(s) > maxLen {
		v.add(path, "must be at most %d characters", maxLen)
		return
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			v.add(path, "must be printable ASCII without spaces")
			return
		}
	}
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	errs := v.errs
	if v.dropped > 0 {
		errs = append(errs, fmt.Errorf("... and %d more problems", v.dropped))
	}
	return fmt.Errorf("invalid fixture: %w", errors.Join(errs...))
}

// clone deep-copies a fixture so the handler never shares slices with callers.
func (f *Fixture) clone() *Fixture {
	out := &Fixture{
		Credentials: append([]Credential(nil), f.Credentials...),
		Roles:       append([]Role(nil), f.Roles...),
		Instances:   make([]Instance, len(f.Instances)),
	}
	for _, o := range f.OIDCProviders {
		o.Tokens = append([]string(nil), o.Tokens...)
		out.OIDCProviders = append(out.OIDCProviders, o)
	}
	for i, in := range f.Instances {
		out.Instances[i] = in.clone()
	}
	return out
}

func (in Instance) clone() Instance {
	users := make([]User, len(in.Users))
	for j, u := range in.Users {
		if u.Enabled != nil {
			enabled := *u.Enabled
			u.Enabled = &enabled
		}
		u.Clients = append([]Client(nil), u.Clients...)
		users[j] = u
	}
	in.Users = users
	return in
}
