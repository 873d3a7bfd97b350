package sagclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// uriCredentialsProvider fetches temporary credentials from a credentials
// URI (a sidecar or local credentials service), the alicloud provider's
// credentials_uri. It is ours rather than the SDK's because the SDK's
// prints transport errors, and with them the whole URI, to stdout, and
// follows redirects.
//
// The answer is the one the SDK and the alicloud provider read:
// {"Code":"Success","AccessKeyId":...,"AccessKeySecret":...,
// "SecurityToken":...,"Expiration":"2006-01-02T15:04:05Z"}.
// Not safe for concurrent use: sharedCredentials serialises calls.
type uriCredentialsProvider struct {
	uri   *url.URL
	http  *credentialHTTP
	cache expiringCache
}

// ParseCredentialsURI checks a credentials URI: an http:// or https:// URL
// with a host.
func ParseCredentialsURI(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("must be an http:// or https:// URL with a host")
	}
	return u, nil
}

func newURICredentialsProvider(raw string, h *credentialHTTP) (*uriCredentialsProvider, error) {
	u, err := ParseCredentialsURI(raw)
	if err != nil {
		return nil, fmt.Errorf("credentials_uri %w", err)
	}
	if h == nil {
		h = newCredentialHTTP(credentialTimeouts{})
	}
	return &uriCredentialsProvider{uri: u, http: h}, nil
}

// where names the service without path or query, which may carry a secret.
func (p *uriCredentialsProvider) where() string { return hostOf(p.uri) }

func (p *uriCredentialsProvider) describe() string { return "the credentials URI " + p.where() }

func (p *uriCredentialsProvider) credentials(ctx context.Context) (*credentials.Credentials, error) {
	if cc := p.cache.get(); cc != nil {
		return cc, nil
	}
	cc, exp, err := p.fetch(ctx)
	if err != nil {
		return nil, err
	}
	p.cache.put(cc, exp)
	return cc, nil
}

func (p *uriCredentialsProvider) fetch(ctx context.Context) (*credentials.Credentials, time.Time, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.uri.String(), nil)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("credentials_uri: %w", err)
	}
	ans, err := p.http.do(ctx, req, p.where())
	if err != nil {
		return nil, time.Time{}, err
	}
	if ans.status != http.StatusOK {
		return nil, time.Time{}, fmt.Errorf("the credentials URI %s answered HTTP %d", p.where(), ans.status)
	}
	body := ans.body
	var doc struct {
		Code            *string
		AccessKeyID     string `json:"AccessKeyId"`
		AccessKeySecret string
		SecurityToken   string
		Expiration      string
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, time.Time{}, fmt.Errorf("the credentials URI %s did not answer JSON credentials", p.where())
	}
	if doc.Code != nil && *doc.Code != "Success" {
		return nil, time.Time{}, fmt.Errorf("the credentials URI %s answered Code %q, not \"Success\"", p.where(), snippet(*doc.Code, 64))
	}
	if doc.AccessKeyID == "" || doc.AccessKeySecret == "" || doc.SecurityToken == "" || doc.Expiration == "" {
		return nil, time.Time{}, fmt.Errorf("the credentials URI %s answered without AccessKeyId, AccessKeySecret, SecurityToken and Expiration", p.where())
	}
	exp, err := time.Parse(expirationLayout, doc.Expiration)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("the credentials URI %s answered an Expiration that is not yyyy-mm-ddThh:mm:ssZ", p.where())
	}
	return &credentials.Credentials{
		AccessKeyId:     doc.AccessKeyID,
		AccessKeySecret: doc.AccessKeySecret,
		SecurityToken:   doc.SecurityToken,
	}, exp, nil
}
