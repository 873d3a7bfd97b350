package sagclient

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // G505: RPC signature v1.0 is HMAC-SHA1 by protocol
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// ActionAssumeRoleWithOIDC is STS's anonymous exchange of an OIDC token.
const ActionAssumeRoleWithOIDC = "AssumeRoleWithOIDC"

const stsVersion = "2015-04-01"

// stsTarget is where STS is called: endpoint when set, else
// sts[-vpc].<region>.aliyuncs.com from region (or ALIBABA_CLOUD_STS_REGION)
// and vpc (or ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED), else sts.aliyuncs.com,
// as the SDK's credential providers choose.
type stsTarget struct {
	endpoint string
	region   string
	vpc      bool
}

// host is the STS host[:port] to call, always over HTTPS.
func (t stsTarget) host() string {
	if t.endpoint != "" {
		if ep, err := ParseSTSEndpoint(t.endpoint); err == nil {
			return ep.Host
		}
		// Checked when the provider was configured; the call fails on it.
		return t.endpoint
	}
	vpc := t.vpc || strings.EqualFold(os.Getenv("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"), "true")
	region := t.region
	if region == "" {
		region = os.Getenv("ALIBABA_CLOUD_STS_REGION")
	}
	if region == "" {
		return "sts.aliyuncs.com"
	}
	prefix := "sts"
	if vpc {
		prefix = "sts-vpc"
	}
	return prefix + "." + region + ".aliyuncs.com"
}

// ParseSTSEndpoint accepts the forms of endpoint, "https://host[:port]" or a
// bare "host[:port]", and refuses "http://": STS answers with credentials,
// which must never travel in clear text.
func ParseSTSEndpoint(raw string) (Endpoint, error) {
	ep, err := ParseEndpoint(raw)
	if err != nil {
		return Endpoint{}, err
	}
	if ep.Insecure() {
		return Endpoint{}, fmt.Errorf("endpoint %q: STS is only called over HTTPS (its answer is a set of credentials); use https:// or a bare host[:port]", raw)
	}
	return ep, nil
}

// stsCaller sends one STS RPC request: POST to https://host/, the
// parameters in the form body, signed with signature v1.0 unless
// anonymous (AssumeRoleWithOIDC).
type stsCaller struct {
	http   *credentialHTTP
	target stsTarget
	scrub  *scrubber
	now    func() time.Time
}

// stsAnswer is the answer of AssumeRole and AssumeRoleWithOIDC.
type stsAnswer struct {
	RequestID   string `json:"RequestId"`
	Credentials *struct {
		AccessKeyID     *string `json:"AccessKeyId"`
		AccessKeySecret *string `json:"AccessKeySecret"`
		SecurityToken   *string `json:"SecurityToken"`
		Expiration      *string `json:"Expiration"`
	} `json:"Credentials"`
}

// stsErrorDoc is STS's error answer.
type stsErrorDoc struct {
	RequestID string `json:"RequestId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
}

// call returns the credentials STS answered and when they expire. signer
// nil means an anonymous call.
func (s *stsCaller) call(ctx context.Context, action string, form map[string]string, signer *credentials.Credentials) (*credentials.Credentials, time.Time, error) {
	host := s.target.host()
	where := "https://" + host
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	query := map[string]string{
		"Action":    action,
		"Version":   stsVersion,
		"Format":    "JSON",
		"Timestamp": now().UTC().Format(expirationLayout),
	}
	if signer != nil {
		nonce, err := newNonce()
		if err != nil {
			return nil, time.Time{}, err
		}
		query["SignatureMethod"] = "HMAC-SHA1"
		query["SignatureVersion"] = "1.0"
		query["SignatureNonce"] = nonce
		query["AccessKeyId"] = signer.AccessKeyId
		if signer.SecurityToken != "" {
			query["SecurityToken"] = signer.SecurityToken
		}
		query["Signature"] = rpcSignature(http.MethodPost, query, form, signer.AccessKeySecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, where+"/?"+formEncode(query), strings.NewReader(formEncode(form)))
	if err != nil {
		return nil, time.Time{}, &TransportError{Endpoint: where, Err: errors.New("the STS endpoint is not a valid host")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Encoding", "identity")
	ans, err := s.http.do(ctx, req, where)
	if err != nil {
		return nil, time.Time{}, err
	}
	if ans.status != http.StatusOK {
		return nil, time.Time{}, s.apiError(action, ans)
	}
	return s.decode(action, ans)
}

func (s *stsCaller) apiError(action string, ans *credentialAnswer) error {
	var doc stsErrorDoc
	apiErr := &APIError{Action: action, StatusCode: ans.status}
	if json.Unmarshal(ans.body, &doc) == nil && doc.Code != "" {
		// Every field comes from the answer: scrub before cutting.
		apiErr.Code = snippet(s.scrub.scrub(doc.Code), 100)
		apiErr.Message = snippet(s.scrub.scrub(apiMessage(doc.Message)), 1000)
		apiErr.RequestID = snippet(s.scrub.scrub(doc.RequestID), 100)
	} else {
		apiErr.Message = "the endpoint answered with something other than an API error: " + snippet(s.scrub.scrub(string(ans.body)), 200)
	}
	if apiErr.RequestID == "" {
		apiErr.RequestID = snippet(s.scrub.scrub(ans.requestID), 100)
	}
	return apiErr
}

func (s *stsCaller) decode(action string, ans *credentialAnswer) (*credentials.Credentials, time.Time, error) {
	bad := func(why string) error {
		return &DecodeError{Action: action, StatusCode: ans.status, RequestID: snippet(s.scrub.scrub(ans.requestID), 100),
			Snippet: snippet(s.scrub.scrub(string(ans.body)), 200), Err: errors.New(why)}
	}
	var doc stsAnswer
	if err := json.Unmarshal(ans.body, &doc); err != nil {
		return nil, time.Time{}, bad("not a JSON answer: " + decodeCause(err, s.scrub).Error())
	}
	c := doc.Credentials
	if c == nil || c.AccessKeyID == nil || c.AccessKeySecret == nil || c.SecurityToken == nil || c.Expiration == nil ||
		*c.AccessKeyID == "" || *c.AccessKeySecret == "" || *c.SecurityToken == "" {
		return nil, time.Time{}, bad("no Credentials with AccessKeyId, AccessKeySecret, SecurityToken and Expiration")
	}
	// Register before anything could quote them.
	s.scrub.add(*c.AccessKeySecret, *c.SecurityToken)
	exp, err := time.Parse(expirationLayout, *c.Expiration)
	if err != nil {
		return nil, time.Time{}, bad("an Expiration that is not yyyy-mm-ddThh:mm:ssZ")
	}
	return &credentials.Credentials{AccessKeyId: *c.AccessKeyID, AccessKeySecret: *c.AccessKeySecret, SecurityToken: *c.SecurityToken}, exp, nil
}

// rpcSignature is signature v1.0 over the query and form parameters.
func rpcSignature(method string, query, form map[string]string, secret string) string {
	all := make(map[string]string, len(query)+len(form))
	for k, v := range query {
		all[k] = v
	}
	for k, v := range form {
		all[k] = v
	}
	delete(all, "Signature")
	stringToSign := method + "&" + percentEncode("/") + "&" + percentEncode(formEncode(all))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// formEncode is the parameters sorted by name and percent-encoded as the
// signature demands; the same text is sent.
func formEncode(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(percentEncode(k))
		b.WriteByte('=')
		b.WriteString(percentEncode(params[k]))
	}
	return b.String()
}

// percentEncode is RFC 3986: only A-Z a-z 0-9 - _ . ~ stay.
func percentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0f])
	}
	return b.String()
}

func newNonce() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("signature nonce: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// durationSeconds is a session's lifetime for STS: 0 means one hour.
func durationSeconds(d time.Duration) string {
	if d <= 0 {
		d = time.Hour
	}
	return strconv.Itoa(int(d / time.Second))
}

// assumeRoleSource is STS AssumeRole signed with the base source's
// credentials.
type assumeRoleSource struct {
	base  credentialSource
	role  AssumeRoleConfig
	sts   *stsCaller
	cache expiringCache
}

func (p *assumeRoleSource) describe() string {
	return "STS " + ActionAssumeRole + " at https://" + p.sts.target.host()
}

func (p *assumeRoleSource) credentials(ctx context.Context) (*credentials.Credentials, error) {
	if cc := p.cache.get(); cc != nil {
		return cc, nil
	}
	base, err := p.base.credentials(ctx)
	if err != nil {
		return nil, err
	}
	session := p.role.SessionName
	if session == "" {
		session = DefaultSessionName
	}
	form := map[string]string{
		"RoleArn":         p.role.RoleARN,
		"RoleSessionName": session,
		"DurationSeconds": durationSeconds(p.role.SessionExpiration),
	}
	if p.role.Policy != "" {
		form["Policy"] = p.role.Policy
	}
	if p.role.ExternalID != "" {
		form["ExternalId"] = p.role.ExternalID
	}
	cc, exp, err := p.sts.call(ctx, ActionAssumeRole, form, base)
	if err != nil {
		return nil, err
	}
	p.cache.put(cc, exp)
	return cc, nil
}
