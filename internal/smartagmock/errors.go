package smartagmock

import (
	"fmt"
	"net/http"
)

// apiError is an answer the real service gives as an error document.
type apiError struct {
	status  int
	code    string
	message string
}

func newAPIError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// Messages follow the real gateway's wording so that clients that match on
// them behave the same against the mock.

func errMissingParameter(name string) *apiError {
	return newAPIError(http.StatusBadRequest, "MissingParameter",
		"The input parameter %q that is mandatory for processing this request is not supplied.", name)
}

func errInvalidParameter(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidParameter", format, args...)
}

func errInvalidAction() *apiError {
	return newAPIError(http.StatusNotFound, "InvalidAction.NotFound",
		"Specified api is not found, please check your url and method.")
}

func errTimestampFormat() *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidTimeStamp.Format",
		"Specified time stamp or date value is not well formatted.")
}

func errTimestampExpired() *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidTimeStamp.Expired",
		"Specified time stamp or date value is expired.")
}

func errAccessKeyNotFound() *apiError {
	return newAPIError(http.StatusNotFound, "InvalidAccessKeyId.NotFound",
		"Specified access key is not found.")
}

func errNonceUsed() *apiError {
	return newAPIError(http.StatusBadRequest, "SignatureNonceUsed",
		"Specified signature nonce was used already.")
}

func errTokenMalformed() *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidSecurityToken.Malformed",
		"Specified SecurityToken is malformed.")
}

func errTokenExpired() *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidSecurityToken.Expired",
		"Specified SecurityToken is expired.")
}

func errForbiddenRAM(product, action string) *apiError {
	return newAPIError(http.StatusForbidden, "Forbidden.RAM",
		"User not authorized to operate on the specified resource, or this API doesn't support RAM. (action: %s:%s)",
		product, action)
}

// errSignature carries the server's string to sign, as the real service does;
// the Go SDK compares it with its own to tell "wrong secret" from "SDK bug".
// It is left out when the request carries a SecurityToken so that the token
// never travels back in an error body that callers might log.
func errSignature(toSign string, hasToken bool) *apiError {
	msg := "Specified signature is not matched with our calculation."
	if !hasToken {
		msg += " server string to sign is:" + toSign
	}
	return newAPIError(http.StatusBadRequest, "SignatureDoesNotMatch", "%s", msg)
}

// errFlowControl is the real gateway's answer past an action's rate limit.
func errFlowControl() *apiError {
	return newAPIError(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
}
