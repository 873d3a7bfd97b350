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
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Action)
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

// Hint is advice on what to do about a well-known error, or "".
func (e *APIError) Hint() string {
	switch {
	case e.Action == actionAssumeRole && (e.Code == "NoPermission" || e.Code == "Forbidden.RAM" || e.Code == "Forbidden"):
		return "The role's trust policy must let these credentials assume it (sts:AssumeRole), and external_id must match the one it requires, if any."
	case e.Action == actionAssumeRole && strings.HasPrefix(e.Code, "EntityNotExist"):
		return "Check assume_role.role_arn: no such role in that account."
	case e.Code == "SAG.InstanceNoFound":
		return "Check the smartag_id and the region: an instance is only found in the region it belongs to."
	case e.Code == "SAG.InstanceIdEmpty":
		return "Set smartag_id to the ID of the SAG instance."
	case e.Code == "ClientUser.NameInvalid", e.Code == "ClientUser.NameEmpty":
		return "Check user_name: it must be the name of a client user of this SAG instance."
	case e.Code == "SignatureDoesNotMatch":
		return "Check the credentials: the access key secret does not match the access key ID."
	case e.Code == "InvalidAccessKeyId.NotFound", e.Code == "InvalidAccessKeyId.Inactive":
		return "Check the credentials: the access key ID is unknown or disabled."
	case strings.HasPrefix(e.Code, "InvalidSecurityToken"):
		return "Check the credentials: the STS security token is missing, malformed or expired."
	case e.Code == "Forbidden.RAM", e.Code == "Forbidden", e.Code == "NoPermission":
		return "The RAM policy of these credentials must allow the action smartag:" + e.Action + "."
	case strings.HasPrefix(e.Code, "InvalidTimeStamp"):
		return "Check this machine's clock: requests are refused when it is more than 15 minutes off."
	case strings.HasPrefix(e.Code, "Throttling"):
		return "The service is throttling requests: lower -parallelism or raise max_retries."
	case e.Code == "" && e.StatusCode >= 500:
		return "The endpoint or a gateway in front of it failed; check endpoint, or try again later."
	}
	return ""
}

// TransportError is a failure to get an answer at all. It names the endpoint
// without the query string: the SDK's own errors carry the whole signed URL.
type TransportError struct {
	Endpoint string
	Err      error
}

func (e *TransportError) Error() string {
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
}

func (e *DecodeError) Error() string {
	requestID := ""
	if e.RequestID != "" {
		requestID = ", request ID " + e.RequestID
	}
	return fmt.Sprintf("%s: the answer (HTTP %d%s) could not be decoded: %v; it begins %q", e.Action, e.StatusCode, requestID, e.Err, e.Snippet)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// RetriesExhaustedError wraps the last error after retries ran out, either
// because max_retries was reached or because the next wait would pass the
// read deadline.
type RetriesExhaustedError struct {
	Attempts int
	Reason   string
	Err      error
}

func (e *RetriesExhaustedError) Error() string {
	return fmt.Sprintf("gave up after %d attempts (%s): %v", e.Attempts, e.Reason, e.Err)
}

func (e *RetriesExhaustedError) Unwrap() error { return e.Err }

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
		inner := fromSDKError(actionAssumeRole, endpoint, credErr.Err, scrub)
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
