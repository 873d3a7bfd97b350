package sagclient

import (
	"context"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// credentialSource is one source of the chain. Its network calls take the
// fetch's context. Not safe for concurrent use: sharedCredentials
// serialises the calls.
type credentialSource interface {
	credentials(ctx context.Context) (*credentials.Credentials, error)
}

// staticSource is a key pair, with a security token for STS credentials.
type staticSource struct{ cc credentials.Credentials }

func newStaticSource(keyID, secret, token string) *staticSource {
	return &staticSource{cc: credentials.Credentials{AccessKeyId: keyID, AccessKeySecret: secret, SecurityToken: token}}
}

func (s *staticSource) credentials(context.Context) (*credentials.Credentials, error) {
	cc := s.cc
	return &cc, nil
}

// scrubbedSource registers the secrets of every credentials it hands out
// with the scrubber: base credentials of assume_role only ever reach STS,
// and an ECS role's pass through nothing else of ours.
type scrubbedSource struct {
	inner credentialSource
	scrub *scrubber
}

func (p *scrubbedSource) credentials(ctx context.Context) (*credentials.Credentials, error) {
	cc, err := p.inner.credentials(ctx)
	if err == nil && cc != nil {
		p.scrub.add(cc.AccessKeySecret, cc.SecurityToken)
	}
	return cc, err
}

// credentialsRenewBefore is how long before their expiration temporary
// credentials are renewed, as the SDK's providers do.
const credentialsRenewBefore = 3 * time.Minute

// expiringCache keeps temporary credentials until shortly before they
// expire.
type expiringCache struct {
	now        func() time.Time
	cached     *credentials.Credentials
	expiration time.Time
}

func (c *expiringCache) get() *credentials.Credentials {
	if c.cached == nil || !c.clock().Before(c.expiration.Add(-credentialsRenewBefore)) {
		return nil
	}
	cc := *c.cached
	return &cc
}

func (c *expiringCache) put(cc *credentials.Credentials, expiration time.Time) {
	c.cached, c.expiration = cc, expiration
}

func (c *expiringCache) clock() time.Time {
	if c.now == nil {
		return time.Now()
	}
	return c.now()
}

// expirationLayout is how STS, the metadata service and credentials URIs
// write Expiration.
const expirationLayout = "2006-01-02T15:04:05Z"
