package sagclient

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Secrets shaped like the real ones: base64, so with '+', '/' and '=',
// which are what every encoding changes.
const (
	scrubSecret = "Fx3+kL9/aQ2=zR7w+uP0/sT=="
	scrubToken  = "CAIS+gF1q6Ft5B2yfSjIr5bWOt/lj+xQ0Y2A=/bT3q+Zy=="
)

// stringToSign is how the SDK and the service build the string to sign,
// with scrubToken: the query, percent-encoded, then percent-encoded again as
// a whole.
func stringToSign() string {
	query := "AccessKeyId=STS.key&Action=DescribeUserOnlineClients&SecurityToken=" + url.QueryEscape(scrubToken) + "&Timestamp=2025-01-01T00%3A00%3A00Z"
	return "POST&%2F&" + url.QueryEscape(query)
}

func lowerHex(s string) string {
	return regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(s, strings.ToLower)
}

// jsonEscaped is s as some encoders write it: '/' as \/ and '+' as \u002b.
func jsonEscaped(s string) string {
	return strings.NewReplacer("/", `\/`, "+", `\u002b`).Replace(s)
}

// assertNoFragment fails when out still holds a run of six or more letters
// and digits of secret: every encoding keeps those as they are.
func assertNoFragment(t *testing.T, out, secret string) {
	t.Helper()
	for _, run := range regexp.MustCompile(`[A-Za-z0-9]{6,}`).FindAllString(secret, -1) {
		if strings.Contains(out, run) {
			t.Errorf("%q still holds %q of the secret", out, run)
		}
	}
}

func TestScrub_knownSecretsInEveryEncoding(t *testing.T) {
	s := newScrubber()
	s.add(scrubSecret, scrubToken)
	forms := map[string]string{
		"raw":                        "token " + scrubToken + " end",
		"query":                      "SecurityTok=" + url.QueryEscape(scrubToken) + "&x=1",
		"query, lower-case hex":      lowerHex(url.QueryEscape(scrubToken)),
		"path-escaped":               url.PathEscape(scrubToken),
		"twice percent-encoded":      url.QueryEscape(url.QueryEscape(scrubToken)),
		"string to sign":             "server string to sign is:" + stringToSign(),
		"JSON-escaped":               `{"Message":"` + jsonEscaped(scrubToken) + `"}`,
		"quoted":                     strconv.Quote(scrubToken),
		"quoted as a warning":        fmt.Sprintf("client 0: ClientIp %q is not an IP address", "x"+scrubSecret+"y"),
		"request ID":                 scrubToken,
		"secret, string to sign":     url.QueryEscape(url.QueryEscape(scrubSecret)),
		"form-decoded":               strings.ReplaceAll(scrubSecret, "+", " "),
		"mixed: once, then escaped":  jsonEscaped(url.QueryEscape(scrubToken)),
		"two secrets side by side":   scrubSecret + scrubToken,
		"secret inside a longer run": "AAAA" + scrubSecret + "BBBB",
	}
	for name, in := range forms {
		t.Run(name, func(t *testing.T) {
			out := s.scrub(in)
			if !strings.Contains(out, "REDACTED") {
				t.Fatalf("nothing redacted in %q", out)
			}
			assertNoFragment(t, out, scrubToken)
			assertNoFragment(t, out, scrubSecret)
		})
	}
}

func TestScrub_unknownSignedParametersInEveryEncoding(t *testing.T) {
	var s *scrubber // knows no secret: only the shapes are left
	cases := map[string]struct{ in, want string }{
		"query": {
			in:   "https://h/?Signature=ab%2Bc%2Fd%3D&SecurityToken=" + url.QueryEscape(scrubToken) + "&Version=1",
			want: "https://h/?Signature=REDACTED&SecurityToken=REDACTED&Version=1",
		},
		"string to sign": {
			in:   "server string to sign is:" + stringToSign(),
			want: "server string to sign is:POST&%2F&AccessKeyId%3DSTS.key%26Action%3DDescribeUserOnlineClients%26SecurityToken%3DREDACTED%26Timestamp%3D2025-01-01T00%253A00%253A00Z",
		},
		"twice-encoded string to sign": {
			in:   url.QueryEscape(stringToSign()),
			want: "POST%26%252F%26AccessKeyId%253DSTS.key%2526Action%253DDescribeUserOnlineClients%2526SecurityToken%253DREDACTED%2526Timestamp%253D2025-01-01T00%25253A00%25253A00Z",
		},
		"JSON-escaped URL": {
			in:   `"url":"https:\/\/h\/?Signature=ab\/c+d=\u0026Version=1"`,
			want: `"url":"https:\/\/h\/?Signature=REDACTED\u0026Version=1"`,
		},
		"JSON fields": {
			in:   `{"AccessKeyId":"STS.key","AccessKeySecret":"` + jsonEscaped(scrubSecret) + `","SecurityToken" : "` + scrubToken + `"}`,
			want: `{"AccessKeyId":"STS.key","AccessKeySecret":"REDACTED","SecurityToken" : "REDACTED"}`,
		},
		"lower-case name and hex": {
			in:   "securitytoken%3d" + lowerHex(url.QueryEscape(scrubToken)) + "%26next",
			want: "securitytoken%3dREDACTED%26next",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out := s.scrub(tc.in)
			if out != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", out, tc.want)
			}
			assertNoFragment(t, out, scrubToken)
		})
	}
}

func TestScrub_leavesOrdinaryTextAlone(t *testing.T) {
	s := newScrubber()
	s.add(scrubSecret, scrubToken, "short") // too short to be remembered
	for _, in := range []string{
		"SignatureMethod=HMAC-SHA1&SignatureNonce=3f2a&SignatureVersion=1.0",
		"Specified signature is not matched with our calculation.",
		"request ID 7A1B2C3D-0000-4E5F-8A9B-0123456789AB, a short word",
		`client 3: ClientIp "10.0.0.1/24" is not an IP address`,
		"Fx3 kL9/aQ2", // a prefix of the secret is not the secret
	} {
		if out := s.scrub(in); out != in {
			t.Errorf("scrub(%q) = %q", in, out)
		}
	}
}

func TestScrub_addIsIdempotent(t *testing.T) {
	s := newScrubber()
	s.add(scrubToken)
	before := s.known
	s.add(scrubToken, "")
	if s.known != before {
		t.Error("adding a known secret again rebuilt the pattern")
	}
}

func TestScrub_stringToSignInAnAnswerWithoutCode(t *testing.T) {
	body := `{"RequestId":"R-1","Message":"Specified signature is not matched with our calculation. server string to sign is:` + stringToSign() + `"}`
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return answer{status: 400, body: body} })
	c := newTestClient(t, f.endpoint(t), func(cfg *Config) {
		cfg.Credentials.AccessKeyID = "STS.key"
		cfg.Credentials.AccessKeySecret = scrubSecret
		cfg.Credentials.SecurityToken = scrubToken
	})
	_, err := describe(t, c)
	if err == nil {
		t.Fatal("a 400 must fail the read")
	}
	assertNoFragment(t, err.Error(), scrubToken)
	assertNoFragment(t, err.Error(), scrubSecret)
}
