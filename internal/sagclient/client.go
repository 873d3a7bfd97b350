package sagclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// ErrNoRegion means no region was configured anywhere.
var ErrNoRegion = errors.New("no region configured")

// Client reads from Smartag for one provider configuration. It is safe for
// concurrent use: reads share one HTTP transport (and so its connections) and
// one credentials provider, and wait on each other only for the gate.
type Client struct {
	cfg       Config
	transport *http.Transport
	scrub     *scrubber
	creds     func() (*resolvedCredentials, error)
	// gate paces requests per region and action under the API's flow
	// control; shared by every configuration with the same identity
	// (credentials and endpoint), since they share one quota (see gates).
	gate *gate

	// The SDK's Client rewrites its http.Client's timeout on every call, so
	// one instance cannot serve concurrent calls without a data race; and its
	// calls take no context. Pooled instances, each used by one call at a
	// time, share the transport above and solve both.
	pool sync.Pool
}

// New checks cfg and builds a Client. It does no I/O: credentials are
// resolved on the first read, so that validate and plans without reads need
// none.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if cfg.Region != "" {
		if err := validateRegion(cfg.Region); err != nil {
			return nil, err
		}
	}
	c := &Client{
		cfg:       cfg,
		transport: newBaseTransport(cfg.ConnectTimeout),
		scrub:     newScrubber(),
		gate:      sharedGate(cfg),
	}
	c.scrub.add(cfg.Credentials.AccessKeySecret, cfg.Credentials.SecurityToken)
	credHTTP := newCredentialHTTP(credentialTimeouts{connect: cfg.ConnectTimeout, read: cfg.ReadTimeout})
	c.creds = sync.OnceValues(func() (*resolvedCredentials, error) {
		return resolveCredentials(cfg.Credentials, credHTTP, c.scrub)
	})
	return c, nil
}

// Scrub removes every secret this client knows of from text.
func (c *Client) Scrub(text string) string { return c.scrub.scrub(text) }

// pooledClient is one SDK client and the transport that carries its calls'
// context.
type pooledClient struct {
	sdk   *smartag.Client
	rt    *callTransport
	creds *callCredentials
}

func (c *Client) getSDKClient() (*pooledClient, error) {
	if pc, ok := c.pool.Get().(*pooledClient); ok {
		return pc, nil
	}
	creds := &callCredentials{}
	rt := &callTransport{base: c.transport, maxBytes: c.cfg.MaxAnswerBytes}
	conf := sdk.NewConfig()
	conf.AutoRetry = false // retries are ours: the SDK's ignore throttling
	conf.Transport = rt
	conf.Scheme = "HTTPS"
	client, err := smartag.NewClientWithOptions(c.cfg.Region, conf, creds)
	if err != nil {
		return nil, fmt.Errorf("creating the Smartag SDK client: %w", err)
	}
	client.SetReadTimeout(c.cfg.ReadTimeout)
	client.SetConnectTimeout(c.cfg.ConnectTimeout)
	for _, ua := range c.cfg.UserAgent {
		client.AppendUserAgent(ua.Name, ua.Version)
	}
	return &pooledClient{sdk: client, rt: rt, creds: creds}, nil
}

// Region is the region a read with this override would use, or ErrNoRegion.
func (c *Client) Region(override string) (string, error) {
	region := override
	if region == "" {
		region = c.cfg.Region
	}
	if region == "" {
		creds, err := c.creds()
		if err != nil {
			return "", err
		}
		region = creds.profileRegion
	}
	if region == "" {
		return "", ErrNoRegion
	}
	return region, validateRegion(region)
}

// The API actions this client calls, as they appear in errors.
const (
	ActionDescribeUserOnlineClients             = "DescribeUserOnlineClients"
	ActionDescribeSmartAccessGatewayClientUsers = "DescribeSmartAccessGatewayClientUsers"
	ActionDescribeUserOnlineClientStatistics    = "DescribeUserOnlineClientStatistics"
	ActionDescribeSmartAccessGateways           = "DescribeSmartAccessGateways"
	ActionAssumeRole                            = "AssumeRole"
)

func isReadError(err error) bool {
	var netErr net.Error
	return errors.Is(err, ErrAnswerTooLarge) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.As(err, &netErr)
}

func isOurs(err error) bool {
	var (
		apiErr       *APIError
		transportErr *TransportError
		decodeErr    *DecodeError
		credErr      *CredentialError
		stoppedErr   *StoppedError
		listingErr   *InconsistentListingError
	)
	return errors.As(err, &apiErr) || errors.As(err, &transportErr) || errors.As(err, &decodeErr) || errors.As(err, &credErr) ||
		errors.As(err, &stoppedErr) || errors.As(err, &listingErr)
}
