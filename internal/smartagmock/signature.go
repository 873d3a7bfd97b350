package smartagmock

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // G505: signature v1.0 is HMAC-SHA1 by protocol
	"crypto/subtle"
	"encoding/base64"
	"sort"
	"strings"
)

const upperHex = "0123456789ABCDEF"

// percentEncode is RFC 3986 encoding as the signature v1.0 spec demands:
// only A-Z a-z 0-9 - _ . ~ stay, every other byte becomes %XY (upper-case),
// so a space is %20, never '+'.
func percentEncode(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0x0f])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// canonicalQuery encodes every parameter except Signature (empty values
// included: the Go SDK signs an empty SignatureType=) and sorts by encoded name.
func canonicalQuery(params map[string]string) string {
	pairs := make([][2]string, 0, len(params))
	for k, v := range params {
		if k == "Signature" {
			continue
		}
		pairs = append(pairs, [2]string{percentEncode(k), percentEncode(v)})
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p[0])
		b.WriteByte('=')
		b.WriteString(p[1])
	}
	return b.String()
}

// stringToSign uses the request's real HTTP method: a client that signs GET
// but sends POST must fail, as it does against the real service.
func stringToSign(method string, params map[string]string) string {
	return method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery(params))
}

// computeSignature is base64(HMAC-SHA1(secret + "&", stringToSign)).
func computeSignature(toSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// signatureMatches compares in constant time so the mock does not teach
// clients (or fuzzers) to rely on timing.
func signatureMatches(expected, got string) bool {
	return subtle.ConstantTimeCompare([]byte(expected), []byte(got)) == 1
}
