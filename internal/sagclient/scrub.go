package sagclient

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// scrubber removes secrets from text that leaves this package. It knows the
// secrets it was told about (the credentials actually used, which may come
// from STS long after configuration) and the shape of signed parameters.
//
// Secrets travel encoded as often as not: percent-encoded in a query, twice
// percent-encoded in a string to sign (which the service quotes back in
// SignatureDoesNotMatch), JSON-escaped in an answer. Access key secrets and
// security tokens are base64, so their '+', '/' and '=' are exactly what
// the encodings change; each secret is therefore matched in all of them.
// Base64 of a secret is not looked for: nothing in the RPC protocol or the
// SDK encodes a secret or token that way.
type scrubber struct {
	mu      sync.RWMutex
	secrets map[string]struct{}
	// known matches every secret in every encoding; nil while there is none.
	known *regexp.Regexp
}

func newScrubber() *scrubber { return &scrubber{secrets: map[string]struct{}{}} }

// minSecretLength keeps scrubbing from mangling ordinary words: shorter
// values are not remembered.
const minSecretLength = 6

// add remembers secrets. It is called for every fetch of credentials, so
// knowing them already costs only a read lock.
func (s *scrubber) add(values ...string) {
	s.mu.RLock()
	fresh := false
	for _, v := range values {
		if _, ok := s.secrets[v]; !ok && len(v) >= minSecretLength {
			fresh = true
		}
	}
	s.mu.RUnlock()
	if !fresh {
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) >= minSecretLength {
			s.secrets[v] = struct{}{}
		}
	}
	all := make([]string, 0, len(s.secrets))
	for v := range s.secrets {
		all = append(all, v)
	}
	// Longest first, so that a secret containing another is removed whole.
	slices.SortFunc(all, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	patterns := make([]string, len(all))
	for i, v := range all {
		patterns[i] = secretPattern(v)
	}
	s.known = regexp.MustCompile(strings.Join(patterns, "|"))
}

// secretPattern matches v raw, percent-encoded any number of times (hex
// digits in either case) and JSON-escaped, or any mix of these.
func secretPattern(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if isAlphanumeric(c) {
			b.WriteByte(c)
			continue
		}
		hex := fmt.Sprintf("%02X", c)
		hexPattern := "[" + hex[:1] + strings.ToLower(hex[:1]) + "][" + hex[1:] + strings.ToLower(hex[1:]) + "]"
		alternatives := []string{
			regexp.QuoteMeta(string(c)),
			"%(?:25)*" + hexPattern, // a query; a string to sign; deeper
			`\\u00` + hexPattern,
		}
		switch c {
		case '/':
			alternatives = append(alternatives, `\\/`) // JSON's optional escape
		case '+':
			alternatives = append(alternatives, " ") // a raw '+' read back from a form
		}
		b.WriteString("(?:" + strings.Join(alternatives, "|") + ")")
	}
	return b.String()
}

func isAlphanumeric(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// signedParam is a signed request's secret parameters, whatever their value,
// as a query parameter (its '=' raw, percent-encoded any number of times,
// or JSON-escaped) or as a JSON field. A value ends at '&', also encoded, at
// white space, a quote, '<', '>' or another escape.
var (
	notAmpersand = `(?:[0-13-9a-f][0-9a-f]|2[0-47-9a-f])` // two hex digits but 26 ('&') and 25 (a deeper encoding's '%')
	paramValue   = `(?:[^&\s"'%\\<>]|%(?:25)*` + notAmpersand + `|\\/|\\u00` + notAmpersand + `)*`
	signedParam  = regexp.MustCompile(`(?i)(Signature|SecurityToken|AccessKeySecret)(=|%(?:25)*3D|\\u003D)` + paramValue)
	signedField  = regexp.MustCompile(`(?i)("(?:Signature|SecurityToken|AccessKeySecret)"\s*:\s*)"(?:[^"\\]|\\.)*"`)
)

func (s *scrubber) scrub(text string) string {
	if s != nil {
		s.mu.RLock()
		if s.known != nil {
			text = s.known.ReplaceAllLiteralString(text, "REDACTED")
		}
		s.mu.RUnlock()
	}
	text = signedParam.ReplaceAllString(text, "${1}${2}REDACTED")
	return signedField.ReplaceAllString(text, `${1}"REDACTED"`)
}
