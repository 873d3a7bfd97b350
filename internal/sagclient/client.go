package sagclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// ErrNoRegion means no region was configured anywhere.
var ErrNoRegion = errors.New("no region configured")

// Client reads from Smartag for one provider configuration. It is safe for
// concurrent use: reads share one HTTP transport (and so its connections) and
// one credentials provider, and never wait on each other.
type Client struct {
	cfg       Config
	transport *http.Transport
	scrub     *scrubber
	creds     func() (*resolvedCredentials, error)

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
		if err := ValidateRegion(cfg.Region); err != nil {
			return nil, err
		}
	}
	c := &Client{
		cfg:       cfg,
		transport: newBaseTransport(cfg.ConnectTimeout),
		scrub:     newScrubber(),
	}
	c.scrub.add(cfg.Credentials.AccessKeySecret, cfg.Credentials.SecurityToken)
	httpOpts := &credentials.HttpOptions{ConnectTimeout: cfg.ConnectTimeout, ReadTimeout: cfg.ReadTimeout}
	c.creds = sync.OnceValues(func() (*resolvedCredentials, error) {
		return resolveCredentials(cfg.Credentials, httpOpts, c.scrub)
	})
	return c, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.transport.CloseIdleConnections() }

// Scrub removes every secret this client knows of from text.
func (c *Client) Scrub(text string) string { return c.scrub.scrub(text) }

// DescribeInput names what to read.
type DescribeInput struct {
	// Region overrides the client's region when set.
	Region    string
	SmartAGID string
	UserName  string
}

// DescribeOutput is what DescribeUserOnlineClients found.
type DescribeOutput struct {
	// Region is the region actually used.
	Region    string
	RequestID string
	Clients   []OnlineClient
	// Warnings about values kept as given although they look wrong.
	Warnings []string
	// Attempts is how many requests were sent.
	Attempts int
}

// pooledClient is one SDK client and the transport that carries its calls'
// context.
type pooledClient struct {
	sdk *smartag.Client
	rt  *callTransport
}

func (c *Client) getSDKClient(creds credentials.CredentialsProvider) (*pooledClient, error) {
	if pc, ok := c.pool.Get().(*pooledClient); ok {
		return pc, nil
	}
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
	return &pooledClient{sdk: client, rt: rt}, nil
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
	return region, ValidateRegion(region)
}

// The API actions this client calls, as they appear in errors.
const (
	actionDescribeUserOnlineClients = "DescribeUserOnlineClients"
	actionAssumeRole                = "AssumeRole"
)

// DescribeUserOnlineClients lists the clients of a user that are online now,
// in the order the API returns them. Throttling, transient failures and
// transport errors are retried with backoff, up to MaxRetries and never past
// ctx's deadline; ctx's cancellation stops the read at once.
func (c *Client) DescribeUserOnlineClients(ctx context.Context, in DescribeInput) (*DescribeOutput, error) {
	creds, err := c.creds()
	if err != nil {
		return nil, err
	}
	region, err := c.Region(in.Region)
	if err != nil {
		return nil, err
	}
	endpoint := c.cfg.endpointFor(region)
	fields := map[string]any{
		"action":     actionDescribeUserOnlineClients,
		"region":     region,
		"endpoint":   endpoint.URL(),
		"smartag_id": in.SmartAGID,
		"user_name":  in.UserName,
		"credential": creds.source,
	}

	for attempt := 1; ; attempt++ {
		start := time.Now()
		resp, err := c.attempt(ctx, creds.provider, endpoint, region, in)
		fields["attempt"] = attempt
		fields["latency_ms"] = time.Since(start).Milliseconds()
		if err == nil {
			fields["request_id"] = resp.RequestId
			c.cfg.Logger.Debug(ctx, "Smartag request succeeded", fields)
			clients, warnings := convertUsers(resp.Users.User)
			return &DescribeOutput{
				Region:    region,
				RequestID: resp.RequestId,
				Clients:   clients,
				Warnings:  warnings,
				Attempts:  attempt,
			}, nil
		}
		fields["error"] = err.Error()
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			fields["request_id"] = apiErr.RequestID
		}

		if ctxErr := context.Cause(ctx); ctxErr != nil {
			c.cfg.Logger.Debug(ctx, "Smartag request stopped: context ended", fields)
			return nil, fmt.Errorf("%s stopped after %d attempts: %w", actionDescribeUserOnlineClients, attempt, ctxErr)
		}
		if !Retryable(err) {
			c.cfg.Logger.Debug(ctx, "Smartag request failed", fields)
			return nil, err
		}
		if attempt > c.cfg.MaxRetries {
			c.cfg.Logger.Warn(ctx, "Smartag request failed, no retries left", fields)
			return nil, &RetriesExhaustedError{Attempts: attempt, Reason: fmt.Sprintf("max_retries is %d", c.cfg.MaxRetries), Err: err}
		}
		delay := c.cfg.Backoff.Delay(attempt - 1)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			c.cfg.Logger.Warn(ctx, "Smartag request failed, no time left to retry", fields)
			return nil, &RetriesExhaustedError{Attempts: attempt, Reason: "the read timeout would pass before the next retry", Err: err}
		}
		fields["retry_in_ms"] = delay.Milliseconds()
		c.cfg.Logger.Warn(ctx, "Smartag request failed, retrying", fields)
		delete(fields, "retry_in_ms")
		if err := sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("%s stopped after %d attempts: %w", actionDescribeUserOnlineClients, attempt, err)
		}
	}
}

// attempt sends one freshly signed request. A panic inside the SDK (it
// type-asserts fields of error documents) becomes an error, and the SDK
// client that panicked is not reused.
func (c *Client) attempt(ctx context.Context, creds credentials.CredentialsProvider, endpoint Endpoint, region string, in DescribeInput) (resp *smartag.DescribeUserOnlineClientsResponse, err error) {
	pc, err := c.getSDKClient(creds)
	if err != nil {
		return nil, err
	}
	req := smartag.CreateDescribeUserOnlineClientsRequest()
	req.Scheme = endpoint.Scheme
	req.Domain = endpoint.Host
	req.RegionId = region
	req.SmartAGId = in.SmartAGID
	req.UserName = in.UserName
	req.AcceptFormat = "JSON"
	resp = smartag.CreateDescribeUserOnlineClientsResponse()

	defer func() {
		if r := recover(); r != nil {
			err = c.decodeError(resp, fmt.Errorf("the SDK could not handle the answer: %v", r))
			resp = nil
			return
		}
		pc.rt.ctx = nil
		c.pool.Put(pc)
	}()
	pc.rt.ctx = ctx
	sdkErr := pc.sdk.DoAction(req, resp)
	if sdkErr != nil {
		return nil, c.mapError(endpoint, resp, sdkErr)
	}
	if resp.RequestId == "" {
		// Every answer of the API has a RequestId. An empty 200 (or "{}")
		// from a proxy must not read as "nobody is online".
		return nil, c.decodeError(resp, errors.New("it has no RequestId, so it is not an answer of the Smartag API"))
	}
	return resp, nil
}

// decodeError describes an answer that could not be used. Everything taken
// from the answer is scrubbed and bounded.
func (c *Client) decodeError(resp *smartag.DescribeUserOnlineClientsResponse, err error) *DecodeError {
	return &DecodeError{
		Action:     actionDescribeUserOnlineClients,
		StatusCode: resp.GetHttpStatus(),
		RequestID:  snippet(c.scrub.scrub(headerRequestID(resp.GetHttpHeaders())), 100),
		Snippet:    snippet(c.scrub.scrub(resp.GetHttpContentString()), 200),
		Err:        err,
	}
}

// mapError classifies an SDK error; see fromSDKError.
func (c *Client) mapError(endpoint Endpoint, resp *smartag.DescribeUserOnlineClientsResponse, err error) error {
	var clientErr *sdkerrors.ClientError
	if errors.As(err, &clientErr) && clientErr.ErrorCode() == sdkerrors.JsonUnmarshalErrorCode {
		return c.decodeError(resp, decodeCause(clientErr.OriginError(), c.scrub))
	}
	mapped := fromSDKError(actionDescribeUserOnlineClients, endpoint, err, c.scrub)
	// Errors while reading the body come back raw from the SDK.
	if !isOurs(mapped) && isReadError(mapped) {
		return &TransportError{Endpoint: endpoint.URL(), Err: mapped}
	}
	return mapped
}

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
	)
	return errors.As(err, &apiErr) || errors.As(err, &transportErr) || errors.As(err, &decodeErr) || errors.As(err, &credErr)
}
