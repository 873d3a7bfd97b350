package sagclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// ecsMetadataHost is the ECS instance metadata service. It answers only on
// the instance itself.
const ecsMetadataHost = "100.100.100.200"

// metadataTokenTTL is what the IMDSv2 session token is asked for, the
// SDK's six hours.
const metadataTokenTTL = "21600"

// ecsRoleSource fetches the credentials of the instance's RAM role from
// the ECS metadata service, in IMDSv2 (a session token first) and, unless
// ALIBABA_CLOUD_IMDSV1_DISABLED is true, falling back to IMDSv1 when no
// token can be had, as the SDK does. ALIBABA_CLOUD_ECS_METADATA_DISABLED
// turns the source off, also as the SDK does.
type ecsRoleSource struct {
	role string
	// base is the service's URL; a variable for tests.
	base  *url.URL
	http  *credentialHTTP
	cache expiringCache
}

// newECSRoleProvider is a variable for tests.
var newECSRoleProvider = func(roleName string) (credentialSource, error) {
	if strings.EqualFold(os.Getenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED"), "true") {
		return nil, errors.New("the ECS metadata service is disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED")
	}
	return &ecsRoleSource{role: roleName, base: &url.URL{Scheme: "http", Host: ecsMetadataHost}, http: newMetadataHTTP()}, nil
}

func (p *ecsRoleSource) where() string { return hostOf(p.base) }

func (p *ecsRoleSource) describe() string { return "the ECS metadata service at " + p.where() }

func (p *ecsRoleSource) credentials(ctx context.Context) (*credentials.Credentials, error) {
	if cc := p.cache.get(); cc != nil {
		return cc, nil
	}
	token, err := p.token(ctx)
	if err != nil {
		return nil, err
	}
	u := p.base.JoinPath("/latest/meta-data/ram/security-credentials/", p.role)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("the ECS role name %q cannot be part of a URL", snippet(p.role, 64))
	}
	if token != "" {
		req.Header.Set("X-aliyun-ecs-metadata-token", token)
	}
	ans, err := p.http.do(ctx, req, p.where())
	if err != nil {
		return nil, err
	}
	if ans.status != http.StatusOK {
		return nil, fmt.Errorf("the ECS metadata service answered HTTP %d for the role %q", ans.status, snippet(p.role, 64))
	}
	var doc struct {
		Code            string
		AccessKeyID     string `json:"AccessKeyId"`
		AccessKeySecret string
		SecurityToken   string
		Expiration      string
	}
	if err := json.Unmarshal(ans.body, &doc); err != nil {
		return nil, errors.New("the ECS metadata service did not answer JSON credentials")
	}
	if doc.Code != "Success" {
		return nil, fmt.Errorf("the ECS metadata service answered Code %q, not \"Success\"", snippet(doc.Code, 64))
	}
	if doc.AccessKeyID == "" || doc.AccessKeySecret == "" || doc.SecurityToken == "" {
		return nil, errors.New("the ECS metadata service answered without AccessKeyId, AccessKeySecret and SecurityToken")
	}
	exp, err := time.Parse(expirationLayout, doc.Expiration)
	if err != nil {
		return nil, errors.New("the ECS metadata service answered an Expiration that is not yyyy-mm-ddThh:mm:ssZ")
	}
	cc := &credentials.Credentials{AccessKeyId: doc.AccessKeyID, AccessKeySecret: doc.AccessKeySecret, SecurityToken: doc.SecurityToken}
	p.cache.put(cc, exp)
	return cc, nil
}

// token is an IMDSv2 session token, or "" to go on in IMDSv1. A redirect
// or an oversized answer is hostile, not a service without IMDSv2: it
// fails the fetch either way.
func (p *ecsRoleSource) token(ctx context.Context) (string, error) {
	v1Disabled := strings.EqualFold(os.Getenv("ALIBABA_CLOUD_IMDSV1_DISABLED"), "true")
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.base.JoinPath("/latest/api/token").String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", metadataTokenTTL)
	ans, err := p.http.do(ctx, req, p.where())
	if err != nil {
		return "", tokenFailure(ctx, err, v1Disabled)
	}
	switch {
	case ans.status != http.StatusOK && v1Disabled:
		return "", fmt.Errorf("getting an IMDSv2 token: the ECS metadata service answered HTTP %d (IMDSv1 is disabled by ALIBABA_CLOUD_IMDSV1_DISABLED)", ans.status)
	case ans.status != http.StatusOK:
		return "", nil
	}
	return strings.TrimSpace(string(ans.body)), nil
}

// tokenFailure is the error that ends the fetch when no IMDSv2 token could
// be had, or nil to go on in IMDSv1: only a service without IMDSv2 (or not
// reachable for it) falls back.
func tokenFailure(ctx context.Context, err error, v1Disabled bool) error {
	var redirect *RedirectError
	if errors.As(err, &redirect) || errors.Is(err, ErrAnswerTooLarge) || v1Disabled || context.Cause(ctx) != nil {
		return fmt.Errorf("getting an IMDSv2 token: %w", err)
	}
	return nil
}
