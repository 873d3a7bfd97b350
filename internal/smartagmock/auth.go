package smartagmock

import (
	"crypto/subtle"
	"time"
)

// timestampLayout is the only Timestamp form accepted (UTC, no fraction).
const timestampLayout = "2006-01-02T15:04:05Z"

// principal is who signed a request.
type principal struct {
	accessKeyID string
	secret      string
	token       string    // required SecurityToken, "" if none
	expires     time.Time // zero for long-term keys
	denyRAM     bool
}

// lookupPrincipal finds a fixture key first, then an STS-issued one.
func (h *Handler) lookupPrincipal(accessKeyID string, now time.Time) (principal, bool) {
	if c, ok := h.creds[accessKeyID]; ok {
		return principal{accessKeyID: c.AccessKeyID, secret: c.AccessKeySecret, token: c.SecurityToken, denyRAM: c.DenyRAM}, true
	}
	if ic, ok := h.issued.get(accessKeyID, now); ok {
		return principal{accessKeyID: accessKeyID, secret: ic.secret, token: ic.token, expires: ic.expiration}, true
	}
	return principal{}, false
}

// commonParams are checked for presence in the real gateway's order.
var commonParams = []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Version"}

// authenticate applies the gateway's checks after the API was found:
// signature method/version, timestamp, key, signature, nonce, token.
// The order matters: the nonce is only remembered for correctly signed
// requests, so garbage cannot fill the store or burn a client's nonce.
func (h *Handler) authenticate(method string, params map[string]string) (principal, *apiError) {
	if m := params["SignatureMethod"]; m != "HMAC-SHA1" {
		return principal{}, errInvalidParameter("Specified parameter SignatureMethod (%q) is not valid; only HMAC-SHA1 is supported.", truncate(m, 64))
	}
	if v := params["SignatureVersion"]; v != "1.0" {
		return principal{}, errInvalidParameter("Specified parameter SignatureVersion (%q) is not valid; only 1.0 is supported.", truncate(v, 64))
	}
	ts, err := time.Parse(timestampLayout, params["Timestamp"])
	// time.Parse tolerates a fractional second; the round trip refuses it.
	if err != nil || ts.Format(timestampLayout) != params["Timestamp"] {
		return principal{}, errTimestampFormat()
	}
	now := h.now()
	if d := now.Sub(ts); d > nonceWindow || d < -nonceWindow {
		return principal{}, errTimestampExpired()
	}
	p, ok := h.lookupPrincipal(params["AccessKeyId"], now)
	if !ok {
		return principal{}, errAccessKeyNotFound()
	}
	toSign := stringToSign(method, params)
	_, hasToken := params["SecurityToken"]
	if !signatureMatches(computeSignature(toSign, p.secret), params["Signature"]) {
		return principal{}, errSignature(toSign, hasToken)
	}
	if !h.nonces.use(params["SignatureNonce"], ts, now) {
		return principal{}, errNonceUsed()
	}
	// A long-term key must not carry a token, an STS key must carry its own.
	got := params["SecurityToken"]
	if subtle.ConstantTimeCompare([]byte(got), []byte(p.token)) != 1 {
		return principal{}, errTokenMalformed()
	}
	if !p.expires.IsZero() && !now.Before(p.expires) {
		return principal{}, errTokenExpired()
	}
	return p, nil
}
