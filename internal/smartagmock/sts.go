package smartagmock

import (
	"crypto/subtle"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

const (
	stsVersion       = "2015-04-01"
	actionAssumeRole = "AssumeRole"
	// actionAssumeRoleWithOIDC is anonymous: the OIDC token is the proof,
	// so the request carries no AccessKeyId and no signature.
	actionAssumeRoleWithOIDC = "AssumeRoleWithOIDC"
	minOIDCToken             = 4
	maxOIDCToken             = 20000
	minDurationSeconds       = 900
	maxDurationSeconds       = 43200
	defaultDuration          = 3600
	// maxIssued bounds the STS credentials kept; expired ones are pruned
	// after issuedGrace so their callers still see InvalidSecurityToken.Expired
	// for a while instead of InvalidAccessKeyId.NotFound.
	maxIssued   = 10000
	issuedGrace = time.Hour
)

var (
	alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// issuedCred is a credential minted by AssumeRole.
type issuedCred struct {
	secret     string
	token      string
	expiration time.Time
}

// issuedStore keeps STS-issued credentials, bounded and pruned.
type issuedStore struct {
	mu    sync.Mutex
	creds map[string]issuedCred
	adds  int
}

func newIssuedStore() *issuedStore { return &issuedStore{creds: map[string]issuedCred{}} }

// get finds an issued credential; one expired for longer than issuedGrace
// is forgotten here too, so the answer does not depend on when pruning ran.
func (s *issuedStore) get(id string, now time.Time) (issuedCred, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.creds[id]
	if ok && now.After(c.expiration.Add(issuedGrace)) {
		delete(s.creds, id)
		return issuedCred{}, false
	}
	return c, ok
}

func (s *issuedStore) add(id string, c issuedCred, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.adds++
	if s.adds%256 == 0 || len(s.creds) >= maxIssued {
		for k, v := range s.creds {
			if now.After(v.expiration.Add(issuedGrace)) {
				delete(s.creds, k)
			}
		}
	}
	// Still full: forget the tenth that expires first, so eviction is
	// amortized rather than a full scan on every issue.
	if len(s.creds) >= maxIssued {
		type entry struct {
			id  string
			exp time.Time
		}
		all := make([]entry, 0, len(s.creds))
		for k, v := range s.creds {
			all = append(all, entry{k, v.expiration})
		}
		sort.Slice(all, func(i, j int) bool { return all[i].exp.Before(all[j].exp) })
		for _, e := range all[:len(all)-maxIssued*9/10] {
			delete(s.creds, e.id)
		}
	}
	s.creds[id] = c
}

// assumeRoleDoc mirrors the real STS answer (JSON field order included).
type assumeRoleDoc struct {
	XMLName         xml.Name        `json:"-" xml:"AssumeRoleResponse"`
	RequestID       string          `json:"RequestId" xml:"RequestId"`
	AssumedRoleUser assumedRoleUser `json:"AssumedRoleUser" xml:"AssumedRoleUser"`
	Credentials     stsCredentials  `json:"Credentials" xml:"Credentials"`
}

type assumedRoleUser struct {
	AssumedRoleID string `json:"AssumedRoleId" xml:"AssumedRoleId"`
	Arn           string `json:"Arn" xml:"Arn"`
}

type stsCredentials struct {
	AccessKeyID     string `json:"AccessKeyId" xml:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret" xml:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken" xml:"SecurityToken"`
	Expiration      string `json:"Expiration" xml:"Expiration"`
}

// assumeRole implements STS AssumeRole. Error codes are the real STS ones:
//   - RoleArn absent: 400 MissingRoleArn; malformed: 400 InvalidParameter.RoleArn;
//     not in the fixture: 404 EntityNotExist.Role
//   - RoleSessionName absent: 400 MissingRoleSessionName; not 2-64 of [\w.@-]:
//     400 InvalidParameter.RoleSessionName
//   - DurationSeconds not an integer in 900..43200: 400 InvalidParameter.DurationSeconds
//   - ExternalId malformed: 400 InvalidParameter.ExternalId; missing or not the
//     role's: 403 NoPermission (the role's trust policy does not match)
//   - Policy present but not a JSON object: 400 InvalidParameter.PolicyGrammar
func (h *Handler) assumeRole(c *call) *reply {
	p := c.params
	arn, ok := p["RoleArn"]
	if !ok || arn == "" {
		return c.errorReply(newAPIError(http.StatusBadRequest, "MissingRoleArn", "RoleArn is mandatory for this action."))
	}
	m := idrules.RoleARNPattern.FindStringSubmatch(arn)
	if m == nil {
		return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed."))
	}
	session, ok := p["RoleSessionName"]
	if !ok || session == "" {
		return c.errorReply(newAPIError(http.StatusBadRequest, "MissingRoleSessionName", "RoleSessionName is mandatory for this action."))
	}
	if !idrules.SessionNamePattern.MatchString(session) {
		return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed."))
	}
	duration := defaultDuration
	if ds, ok := p["DurationSeconds"]; ok && ds != "" {
		n, err := strconv.Atoi(ds)
		if err != nil || n < minDurationSeconds || n > maxDurationSeconds {
			return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/12hr."))
		}
		duration = n
	}
	ext := p["ExternalId"]
	if ext != "" && !validExternalID(ext) {
		return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.ExternalId", "The parameter ExternalId is wrongly formed."))
	}
	if pol := p["Policy"]; pol != "" {
		var obj map[string]any
		if json.Unmarshal([]byte(pol), &obj) != nil {
			return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar check."))
		}
	}
	role, ok := h.roles[strings.ToLower(arn)]
	if !ok {
		return c.errorReply(newAPIError(http.StatusNotFound, "EntityNotExist.Role", "The specified Role not exists ."))
	}
	if role.ExternalID != "" && ext != role.ExternalID {
		return c.errorReply(newAPIError(http.StatusForbidden, "NoPermission", "You are not authorized to do this action. You should be authorized by RAM."))
	}

	return render(c.format, http.StatusOK, "", h.issue(c, arn, m[1], session, duration))
}

// issue mints STS credentials for a session of the role arn (whose name
// is roleName), valid for duration seconds.
func (h *Handler) issue(c *call, arn, roleName, session string, duration int) assumeRoleDoc {
	now := h.now().UTC()
	expiration := now.Add(time.Duration(duration) * time.Second).Truncate(time.Second)
	id := "STS." + h.rng.text(alnum, 25)
	cred := issuedCred{
		secret:     h.rng.text(alnum, 44),
		token:      "CAIS" + h.rng.text(alnum, 200),
		expiration: expiration,
	}
	h.issued.add(id, cred, now)

	account := arn[len("acs:ram::"):strings.Index(arn, ":role/")]
	return assumeRoleDoc{
		RequestID: c.requestID,
		AssumedRoleUser: assumedRoleUser{
			AssumedRoleID: "3" + h.rng.text("0123456789", 17) + ":" + session,
			Arn:           "acs:ram::" + account + ":role/" + strings.ToLower(roleName) + "/" + session,
		},
		Credentials: stsCredentials{
			AccessKeyID:     id,
			AccessKeySecret: cred.secret,
			SecurityToken:   cred.token,
			Expiration:      expiration.Format(timestampLayout),
		},
	}
}

// assumeRoleWithOIDC implements STS AssumeRoleWithOIDC, an anonymous call
// (no AccessKeyId, no signature): the OIDC token is the proof. Checks, in
// order, with codes modelled on STS's:
//   - Timestamp malformed or outside the window: as for signed calls
//   - OIDCProviderArn, RoleArn, OIDCToken, RoleSessionName absent: 400 Missing<Name>
//   - RoleArn malformed: 400 InvalidParameter.RoleArn; RoleSessionName
//     malformed: 400 InvalidParameter.RoleSessionName; OIDCToken not 4-20000
//     characters: 400 InvalidParameter.OIDCToken; DurationSeconds not in
//     900..43200: 400 InvalidParameter.DurationSeconds
//   - OIDCProviderArn not in the fixture: 404 EntityNotExist.OIDCProvider
//   - OIDCToken not one of the provider's: 400 AuthenticationFail.OIDCToken.Invalid
//   - role not in the fixture: 404 EntityNotExist.Role; the role does not
//     trust the provider: 403 NoPermission
func (h *Handler) assumeRoleWithOIDC(c *call) *reply {
	p := c.params
	ts, err := time.Parse(timestampLayout, p["Timestamp"])
	if err != nil || ts.Format(timestampLayout) != p["Timestamp"] {
		return c.errorReply(errTimestampFormat())
	}
	if d := h.now().Sub(ts); d > nonceWindow || d < -nonceWindow {
		return c.errorReply(errTimestampExpired())
	}
	for _, name := range []string{"OIDCProviderArn", "RoleArn", "OIDCToken", "RoleSessionName"} {
		if p[name] == "" {
			return c.errorReply(newAPIError(http.StatusBadRequest, "Missing"+name, "%s is mandatory for this action.", name))
		}
	}
	arn, session, token := p["RoleArn"], p["RoleSessionName"], p["OIDCToken"]
	m := idrules.RoleARNPattern.FindStringSubmatch(arn)
	if m == nil {
		return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed."))
	}
	if !idrules.SessionNamePattern.MatchString(session) {
		return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed."))
	}
	if len(token) < minOIDCToken || len(token) > maxOIDCToken {
		return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.OIDCToken", "The parameter OIDCToken is wrongly formed."))
	}
	duration := defaultDuration
	if ds, ok := p["DurationSeconds"]; ok && ds != "" {
		n, err := strconv.Atoi(ds)
		if err != nil || n < minDurationSeconds || n > maxDurationSeconds {
			return c.errorReply(newAPIError(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The Min/Max value of DurationSeconds is 15min/12hr."))
		}
		duration = n
	}
	provider, ok := h.oidcProviders[strings.ToLower(p["OIDCProviderArn"])]
	if !ok {
		return c.errorReply(newAPIError(http.StatusNotFound, "EntityNotExist.OIDCProvider", "The specified OIDC provider does not exist."))
	}
	if !provider.accepts(token) {
		return c.errorReply(newAPIError(http.StatusBadRequest, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid."))
	}
	role, ok := h.roles[strings.ToLower(arn)]
	if !ok {
		return c.errorReply(newAPIError(http.StatusNotFound, "EntityNotExist.Role", "The specified Role not exists ."))
	}
	if !strings.EqualFold(role.OIDCProviderARN, provider.ARN) {
		return c.errorReply(newAPIError(http.StatusForbidden, "NoPermission", "You are not authorized to do this action. You should be authorized by RAM."))
	}
	doc := h.issue(c, arn, m[1], session, duration)
	return render(c.format, http.StatusOK, "", oidcDoc{
		RequestID: doc.RequestID, AssumedRoleUser: doc.AssumedRoleUser, Credentials: doc.Credentials,
	})
}

// oidcDoc is the answer of AssumeRoleWithOIDC (without OIDCTokenInfo).
type oidcDoc struct {
	XMLName         xml.Name        `json:"-" xml:"AssumeRoleWithOIDCResponse"`
	RequestID       string          `json:"RequestId" xml:"RequestId"`
	AssumedRoleUser assumedRoleUser `json:"AssumedRoleUser" xml:"AssumedRoleUser"`
	Credentials     stsCredentials  `json:"Credentials" xml:"Credentials"`
}

// accepts compares in constant time: the token is a credential.
func (o OIDCProvider) accepts(token string) bool {
	ok := false
	for _, t := range o.Tokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
			ok = true
		}
	}
	return ok
}
