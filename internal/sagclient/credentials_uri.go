package sagclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// uriCredentialsProvider fetches temporary credentials from a credentials
// URI (a sidecar or local credentials service), the alicloud provider's
// credentials_uri. It is ours rather than the SDK's because the SDK's
// prints transport errors, and with them the whole URI, to stdout.
//
// The answer is the one the SDK and the alicloud provider read:
// {"Code":"Success","AccessKeyId":...,"AccessKeySecret":...,
// "SecurityToken":...,"Expiration":"2006-01-02T15:04:05Z"}.
// Not safe for concurrent use: sharedCredentials serialises calls.
type uriCredentialsProvider struct {
	uri    *url.URL
	client *http.Client
	now    func() time.Time

	cached     *credentials.Credentials
	expiration time.Time
}

// maxCredentialsAnswer bounds the answer of a credentials URI.
const maxCredentialsAnswer = 1 << 20

// credentialsRenewBefore is how long before their expiration credentials
// are renewed, as the SDK's providers do.
const credentialsRenewBefore = 3 * time.Minute

// ParseCredentialsURI checks a credentials URI: an http:// or https:// URL
// with a host.
func ParseCredentialsURI(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("must be an http:// or https:// URL with a host")
	}
	return u, nil
}

func newURICredentialsProvider(raw string, httpOpts *credentials.HttpOptions) (*uriCredentialsProvider, error) {
	u, err := ParseCredentialsURI(raw)
	if err != nil {
		return nil, fmt.Errorf("credentials_uri %w", err)
	}
	connect, read := 5*time.Second, 10*time.Second
	if httpOpts != nil && httpOpts.ConnectTimeout > 0 {
		connect = httpOpts.ConnectTimeout
	}
	if httpOpts != nil && httpOpts.ReadTimeout > 0 {
		read = httpOpts.ReadTimeout
	}
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: connect}).DialContext,
		TLSHandshakeTimeout: connect,
		ForceAttemptHTTP2:   true,
	}
	return &uriCredentialsProvider{
		uri: u,
		client: &http.Client{
			Timeout:   connect + read,
			Transport: transport,
			// A credentials service has no reason to redirect; following one
			// could hand the next credentials to someone else.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		now: time.Now,
	}, nil
}

// where names the service without path or query, which may carry a secret.
func (p *uriCredentialsProvider) where() string { return p.uri.Scheme + "://" + p.uri.Host }

func (p *uriCredentialsProvider) GetCredentials() (*credentials.Credentials, error) {
	if p.cached != nil && p.now().Before(p.expiration.Add(-credentialsRenewBefore)) {
		return p.cached, nil
	}
	cc, exp, err := p.fetch()
	if err != nil {
		return nil, err
	}
	p.cached, p.expiration = cc, exp
	return cc, nil
}

func (p *uriCredentialsProvider) fetch() (*credentials.Credentials, time.Time, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, p.uri.String(), nil)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("credentials_uri: %w", err)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, time.Time{}, &TransportError{Endpoint: p.where(), Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCredentialsAnswer+1))
	if err != nil {
		return nil, time.Time{}, &TransportError{Endpoint: p.where(), Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, time.Time{}, fmt.Errorf("the credentials URI %s answered HTTP %d", p.where(), resp.StatusCode)
	}
	if len(body) > maxCredentialsAnswer {
		return nil, time.Time{}, fmt.Errorf("the credentials URI %s answered more than %d bytes", p.where(), maxCredentialsAnswer)
	}
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
	exp, err := time.Parse("2006-01-02T15:04:05Z", doc.Expiration)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("the credentials URI %s answered an Expiration that is not yyyy-mm-ddThh:mm:ssZ", p.where())
	}
	return &credentials.Credentials{
		AccessKeyId:     doc.AccessKeyID,
		AccessKeySecret: doc.AccessKeySecret,
		SecurityToken:   doc.SecurityToken,
		ProviderName:    p.GetProviderName(),
	}, exp, nil
}

func (p *uriCredentialsProvider) GetProviderName() string { return "credentials_uri" }
