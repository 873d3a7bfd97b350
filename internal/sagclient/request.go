package sagclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
)

// call is one API request as logs and errors describe it.
type call struct {
	region string
	// about names what the request concerns (smartag_id, user_name, page,
	// ...): logged with every attempt and attached to its error.
	about Subject
}

// action binds one API action to its SDK request (built fresh for every
// attempt, so that each is signed anew) and to the answer it decodes into.
type action[R apiAnswer] struct {
	name      string
	build     func() requests.AcsRequest
	newAnswer func() R
}

// send is the single request path of every action: it resolves
// credentials, waits for the rate governor, signs and sends with a pooled
// SDK client, retries, logs and maps errors. Throttling answers cost time,
// not retries: the governor slows the action down and the request is sent
// again, bounded by ctx's deadline. Other retryable failures use up
// MaxRetries with backoff. ctx's cancellation stops it at once.
func send[R apiAnswer](ctx context.Context, c *Client, st *statsRecorder, cl call, a action[R]) (R, error) {
	var zero R
	creds, err := c.creds()
	if err != nil {
		return zero, err
	}
	endpoint := c.cfg.endpointFor(cl.region)
	fields := map[string]any{
		"action":     a.name,
		"region":     cl.region,
		"endpoint":   endpoint.URL(),
		"credential": creds.source,
	}
	cl.about.addTo(fields)

	key := cl.region + "/" + a.name
	attempts, retries, throttled := 0, 0, 0
	for {
		// The SDK fetches credentials inside DoAction, without a context:
		// fetch them first, giving up when ctx ends. Before the governor,
		// so that no slot is held while STS answers, and so that an STS
		// failure (even an STS throttle) is never taken for this action's.
		// A read that ends waiting for them fails with the CredentialError,
		// which names the source, not as a Smartag request that stopped.
		cc, err := creds.provider.Get(ctx)
		if err != nil {
			return zero, fromSDKError(a.name, endpoint, err, c.scrub)
		}
		ticket, waited, err := c.gate.acquire(ctx, key)
		st.waited(waited)
		if err != nil {
			return zero, &StoppedError{Action: a.name, About: cl.about, Attempts: attempts, Throttled: throttled, WhileWaiting: true, Err: err}
		}
		attempts++
		start := time.Now()
		resp, err := attempt(ctx, c, cc, endpoint, a)
		st.sent(a.name)
		fields["attempt"] = attempts
		fields["latency_ms"] = time.Since(start).Milliseconds()
		c.gate.done(ctx, c.cfg.Logger, key, ticket, err)
		if err == nil {
			delete(fields, "error") // an earlier attempt's
			fields["request_id"] = c.scrub.scrub(resp.requestID())
			c.cfg.Logger.Debug(ctx, "Smartag request succeeded", fields)
			return resp, nil
		}
		throttle := isThrottling(err)
		fields["error"] = c.scrub.scrub(err.Error())
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			fields["request_id"] = apiErr.RequestID
		}
		err = withSubject(err, cl.about)

		if ctxErr := context.Cause(ctx); ctxErr != nil {
			c.cfg.Logger.Debug(ctx, "Smartag request stopped: context ended", fields)
			return zero, &StoppedError{Action: a.name, About: cl.about, Attempts: attempts, Throttled: throttled, Err: ctxErr, Last: err}
		}
		if throttle {
			// The governor has slowed this action down: waiting for it
			// again is the backoff, and only the read's deadline bounds
			// it. Throttling costs time, not retries.
			throttled++
			st.throttled()
			c.cfg.Logger.Debug(ctx, "Smartag request throttled, sending again when the governor allows", fields)
			continue
		}
		if !retryable(err) {
			c.cfg.Logger.Debug(ctx, "Smartag request failed", fields)
			return zero, err
		}
		if retries >= c.cfg.MaxRetries {
			c.cfg.Logger.Warn(ctx, "Smartag request failed, no retries left", fields)
			return zero, &RetriesExhaustedError{Attempts: attempts, Limit: LimitMaxRetries, MaxRetries: c.cfg.MaxRetries, Err: err}
		}
		retries++
		delay := c.cfg.Backoff.Delay(retries - 1)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			c.cfg.Logger.Warn(ctx, "Smartag request failed, no time left to retry", fields)
			return zero, &RetriesExhaustedError{Attempts: attempts, Limit: LimitDeadline, MaxRetries: c.cfg.MaxRetries, Err: err}
		}
		st.retried()
		fields["retry_in_ms"] = delay.Milliseconds()
		c.cfg.Logger.Warn(ctx, "Smartag request failed, retrying", fields)
		delete(fields, "retry_in_ms")
		if stopErr := sleep(ctx, delay); stopErr != nil {
			return zero, &StoppedError{Action: a.name, About: cl.about, Attempts: attempts, Throttled: throttled, Err: stopErr, Last: err}
		}
	}
}

// attempt sends one freshly signed request. A successful answer is decoded
// by the transport as it arrives (callTransport.streamAnswer), bounded; the
// SDK carries an error document's bytes (a CommonResponse is not
// unmarshalled). A panic inside the SDK (it type-asserts fields of error
// documents) becomes an error, and the SDK client that panicked is not
// reused.
func attempt[R apiAnswer](ctx context.Context, c *Client, cc *credentials.Credentials, endpoint Endpoint, a action[R]) (ans R, err error) {
	var zero R
	pc, err := c.getSDKClient()
	if err != nil {
		return zero, err
	}
	req := a.build()
	req.SetScheme(endpoint.Scheme)
	req.SetDomain(endpoint.Host)
	resp := responses.NewCommonResponse()

	// head is the start of a successful answer the transport decoded (the
	// SDK's response holds none of its bytes), nil otherwise.
	var head []byte
	defer func() {
		if r := recover(); r != nil {
			err = c.decodeError(a.name, resp, head, fmt.Errorf("the SDK could not handle the answer: %v", r))
			ans = zero
			return
		}
		pc.rt.ctx, pc.creds.cc = nil, nil
		c.pool.Put(pc)
	}()
	pc.rt.ctx, pc.creds.cc = ctx, cc
	// A successful answer is decoded as the transport receives it.
	pc.rt.decode = func(src io.Reader) error {
		ans = a.newAnswer()
		return readAnswerFrom(src, ans)
	}
	sdkErr := pc.sdk.DoAction(req, resp)
	streamed := pc.rt.takeStreamed()
	if sdkErr != nil {
		return zero, c.mapError(a.name, endpoint, resp, sdkErr)
	}
	decodeErr := streamed.err
	if streamed.ok {
		head = streamed.head
	} else { // the SDK read the answer
		ans = a.newAnswer()
		decodeErr = readAnswer(resp.GetHttpContentBytes(), ans)
	}
	if decodeErr != nil {
		return zero, c.decodeError(a.name, resp, head, decodeErr)
	}
	if ans.requestID() == "" {
		// Every answer of the API has a RequestId. An empty 200 (or "{}")
		// from a proxy must not read as "nobody is online".
		return zero, c.decodeError(a.name, resp, head, errors.New("it has no RequestId, so it is not an answer of the Smartag API"))
	}
	return ans, nil
}

// prepare sets what every request of this client carries.
func prepare(req *requests.RpcRequest, region string) {
	req.RegionId = region
	req.AcceptFormat = "JSON"
}

// decodeError describes an answer that could not be used. Everything taken
// from the answer is scrubbed and bounded.
// head is the answer's start when the transport decoded it (nil: the SDK's
// response holds the answer).
func (c *Client) decodeError(action string, resp responses.AcsResponse, head []byte, err error) *DecodeError {
	start := string(head)
	if head == nil {
		start = bodyHead(resp.GetHttpContentString())
	}
	return &DecodeError{
		Action:     action,
		StatusCode: resp.GetHttpStatus(),
		RequestID:  snippet(c.scrub.scrub(headerRequestID(resp.GetHttpHeaders())), 100),
		Snippet:    snippet(c.scrub.scrub(start), 200),
		Err:        err,
	}
}

// bodyHeadBytes is how much of a body bodyHead keeps.
const bodyHeadBytes = 64 << 10

// bodyHead is the start of a body, long enough that a secret beginning
// within a snippet ends within it too, however encoded: scrubbing a body of
// megabytes to quote 200 bytes of it would cost a copy of the body.
func bodyHead(body string) string {
	return body[:min(len(body), bodyHeadBytes)]
}

// mapError classifies an SDK error; see fromSDKError.
func (c *Client) mapError(action string, endpoint Endpoint, resp responses.AcsResponse, err error) error {
	var clientErr *sdkerrors.ClientError
	if errors.As(err, &clientErr) && clientErr.ErrorCode() == sdkerrors.JsonUnmarshalErrorCode {
		return c.decodeError(action, resp, nil, decodeCause(clientErr.OriginError(), c.scrub))
	}
	mapped := fromSDKError(action, endpoint, err, c.scrub)
	// Errors while reading the body come back raw from the SDK.
	if !isOurs(mapped) && isReadError(mapped) {
		return &TransportError{Endpoint: endpoint.URL(), Err: mapped}
	}
	return mapped
}
