package sagclient

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

// APIError is an error answer of the service: an HTTP status and, when the
// body was an API error document, its code, message and request ID.
type APIError struct {
	Action     string
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	// About is what the request concerned.
	About Subject
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Action)
	if about := e.About.String(); about != "" {
		b.WriteString(" for ")
		b.WriteString(about)
	}
	b.WriteString(": ")
	if e.Code != "" {
		b.WriteString(e.Code)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	fmt.Fprintf(&b, " (HTTP %d", e.StatusCode)
	if e.RequestID != "" {
		b.WriteString(", request ID ")
		b.WriteString(e.RequestID)
	}
	b.WriteString(")")
	return b.String()
}

// TransportError is a failure to get an answer at all. It names the endpoint
// without the query string: the SDK's own errors carry the whole signed URL.
type TransportError struct {
	Endpoint string
	Err      error
	// About is what the request concerned.
	About Subject
}

func (e *TransportError) Error() string {
	if about := e.About.String(); about != "" {
		return fmt.Sprintf("request to %s for %s failed: %v", e.Endpoint, about, e.Err)
	}
	return fmt.Sprintf("request to %s failed: %v", e.Endpoint, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// DecodeError is a successful HTTP status whose body is not the answer the
// API documents.
type DecodeError struct {
	Action     string
	StatusCode int
	// RequestID is the x-acs-request-id header, when the answer had one.
	RequestID string
	Snippet   string
	Err       error
	// About is what the request concerned.
	About Subject
}

func (e *DecodeError) Error() string {
	requestID := ""
	if e.RequestID != "" {
		requestID = ", request ID " + e.RequestID
	}
	action := e.Action
	if about := e.About.String(); about != "" {
		action += " for " + about
	}
	return fmt.Sprintf("%s: the answer (HTTP %d%s) could not be decoded: %v; it begins %q", action, e.StatusCode, requestID, e.Err, e.Snippet)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// RetryLimit is what ended the retries of a request.
type RetryLimit int

const (
	// LimitMaxRetries: the configured number of retries was used up.
	LimitMaxRetries RetryLimit = iota + 1
	// LimitDeadline: the next wait would have passed the caller's deadline.
	LimitDeadline
)

// RetriesExhaustedError wraps the last error after retries ran out, and
// says which limit ended them.
type RetriesExhaustedError struct {
	Attempts   int
	Limit      RetryLimit
	MaxRetries int
	Err        error
}

func (e *RetriesExhaustedError) Error() string {
	reason := fmt.Sprintf("the limit of %d retries was reached", e.MaxRetries)
	if e.Limit == LimitDeadline {
		reason = "the deadline would pass before the next retry"
	}
	return fmt.Sprintf("gave up after %d attempts (%s): %v", e.Attempts, reason, e.Err)
}

func (e *RetriesExhaustedError) Unwrap() error { return e.Err }

// StoppedError is a request stopped because its context ended: the
// caller's deadline passed or it was cancelled, possibly while waiting for
// the rate governor. Err is the context's cause; Last the last failure.
type StoppedError struct {
	Action    string
	About     Subject
	Attempts  int
	Throttled int
	// WhileWaiting is set when it stopped waiting for the rate governor.
	WhileWaiting bool
	Err          error
	Last         error
}

func (e *StoppedError) Error() string {
	var b strings.Builder
	b.WriteString(e.Action)
	if about := e.About.String(); about != "" {
		b.WriteString(" for ")
		b.WriteString(about)
	}
	fmt.Fprintf(&b, " stopped after %d attempts", e.Attempts)
	if e.Throttled > 0 {
		fmt.Fprintf(&b, ", %d of them refused by throttling", e.Throttled)
	}
	if e.WhileWaiting {
		b.WriteString(", while waiting for its turn under the API's rate limit")
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	if e.Last != nil && !errors.Is(e.Last, e.Err) {
		fmt.Fprintf(&b, " (last failure: %v)", e.Last)
	}
	return b.String()
}

func (e *StoppedError) Unwrap() error { return e.Err }

// isThrottling reports a flow-control refusal of a Smartag request. An
// STS refusal inside a CredentialError is not one: it says nothing of the
// Smartag action's rate.
func isThrottling(err error) bool {
	var (
		credErr *CredentialError
		apiErr  *APIError
	)
	return !errors.As(err, &credErr) && errors.As(err, &apiErr) && strings.HasPrefix(apiErr.Code, "Throttling")
}

// snippet is the start of a body, printable, for error messages.
func snippet(body string, limit int) string {
	body = strings.TrimSpace(body)
	if len(body) > limit {
		body = body[:limit]
		for !utf8.ValidString(body) && len(body) > 0 {
			body = body[:len(body)-1]
		}
		body += "…"
	}
	return body
}

// fromSDKError turns what the SDK returned into one of this package's error
// types, dropping everything that might carry a secret or a signed URL.
func fromSDKError(action string, endpoint Endpoint, err error, scrub *scrubber) error {
	var credErr *CredentialError
	if errors.As(err, &credErr) {
		inner := fromSDKError(ActionAssumeRole, endpoint, credErr.Err, scrub)
		return &CredentialError{Source: credErr.Source, Err: inner}
	}
	var serverErr *sdkerrors.ServerError
	if errors.As(err, &serverErr) {
		// Every field comes from the answer: scrub before cutting, so that
		// no prefix of a secret echoed by a broken endpoint survives.
		apiErr := &APIError{
			Action:     action,
			StatusCode: serverErr.HttpStatus(),
			Code:       snippet(scrub.scrub(serverErr.ErrorCode()), 100),
			RequestID:  snippet(scrub.scrub(serverErr.RequestId()), 100),
		}
		if apiErr.RequestID == "" {
			// A gateway's page has no RequestId, but the gateway may have
			// sent the header.
			apiErr.RequestID = snippet(scrub.scrub(headerRequestID(serverErr.RespHeaders)), 100)
		}
		if apiErr.Code == "" {
			// Not an API error document: a gateway's HTML page, say.
			apiErr.Message = "the endpoint answered with something other than an API error: " + snippet(scrub.scrub(serverErr.Message()), 200)
		} else {
			apiErr.Message = snippet(scrub.scrub(apiMessage(serverErr.Message())), 1000)
		}
		return apiErr
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return &TransportError{Endpoint: endpoint.URL(), Err: urlErr.Err}
	}
	var clientErr *sdkerrors.ClientError
	if errors.As(err, &clientErr) {
		if orig := clientErr.OriginError(); orig != nil {
			return fromSDKError(action, endpoint, orig, scrub)
		}
		return fmt.Errorf("%s: %s: %s", action, clientErr.ErrorCode(), scrub.scrub(clientErr.Message()))
	}
	return err
}

// headerRequestID is the request ID the API gateway sends as a header.
func headerRequestID(h map[string][]string) string {
	return http.Header(h).Get("x-acs-request-id")
}

// decodeCause is the JSON decoder's complaint without the excerpt of the
// body that it quotes ("error found in #10 byte of ...|<body>|..."): that
// excerpt is not scrubbed, so it could carry a security token a broken
// endpoint echoed. The DecodeError's scrubbed Snippet shows the body.
func decodeCause(err error, scrub *scrubber) error {
	if err == nil {
		return errors.New("invalid JSON")
	}
	msg := err.Error()
	if i := strings.Index(msg, ", error found in #"); i >= 0 {
		msg = msg[:i]
	}
	return errors.New(snippet(scrub.scrub(msg), 200))
}

// apiMessage drops the "server string to sign" that the service appends to
// SignatureDoesNotMatch: it holds every signed parameter, a security token
// included.
func apiMessage(msg string) string {
	if i := strings.Index(msg, sdkerrors.MessageContain); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	return msg
}
