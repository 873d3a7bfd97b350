package smartagmock

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzNow is the fixed clock of the fuzz handler, so seeds with this
// Timestamp reach the signature check on every run.
var fuzzNow = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// FuzzParseAndVerify feeds arbitrary method, query, content type and body
// through parameter parsing, signature verification and the whole handler.
// It must never panic, and a 200 must only ever follow a valid signature.
func FuzzParseAndVerify(f *testing.F) {
	signed := func(method string, extra map[string]string) string {
		p := baseParams(f, "DescribeUserOnlineClients", "2018-03-13", SampleAccessKeyID, fuzzNow)
		p["SignatureNonce"] = "fuzz-seed-nonce"
		p["RegionId"], p["SmartAGId"], p["UserName"] = SampleRegion, SampleInstanceID, "alice"
		for k, v := range extra {
			p[k] = v
		}
		p["Signature"] = testSign(method, p, SampleAccessKeySecret)
		return encodeParams(p, true)
	}
	const form = "application/x-www-form-urlencoded"
	f.Add("POST", signed("POST", nil), form, "")
	f.Add("GET", signed("GET", map[string]string{"OwnerAccount": "a b/c+d*e~f ü"}), "", "")
	f.Add("POST", "", form, signed("POST", nil))
	f.Add("POST", "Action=AssumeRole&Version=2015-04-01", form, "RoleArn=x&RoleArn=y")
	f.Add("PUT", "%zz;a=b&&=&Action", "multipart/form-data; boundary=x", "--x--")
	f.Add("GET", "Format=JSON&Action=DescribeUserOnlineClients&Timestamp=2030-01-02T03:04:05.999Z", "", "")
	f.Add("\x00", "a=%", "application/x-www-form-urlencoded; charset", "%")

	h, err := NewHandler(Options{Now: func() time.Time { return fuzzNow }, Seed: 7})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, rawQuery, contentType, body string) {
		// The parts alone.
		params, perr := readParams(rawQuery, contentType, strings.NewReader(body))
		if perr == nil {
			_ = signatureMatches(computeSignature(stringToSign(method, params), SampleAccessKeySecret), params["Signature"])
		}

		// The whole handler, with a request a server could have parsed.
		r := &http.Request{
			Method: method,
			URL:    &url.URL{Path: "/", RawQuery: rawQuery},
			Header: http.Header{"Content-Type": {contentType}},
			Body:   io.NopCloser(strings.NewReader(body)),
			Host:   "fuzz.invalid",
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code < 200 || rec.Code > 599 || rec.Body.Len() == 0 {
			t.Fatalf("answer %d with %d bytes", rec.Code, rec.Body.Len())
		}
		if rec.Code == http.StatusOK {
			if perr != nil {
				t.Fatalf("200 for unparsable parameters: %v", perr)
			}
			secret := ""
			if c, ok := h.creds[params["AccessKeyId"]]; ok {
				secret = c.AccessKeySecret
			} else if ic, ok := h.issued.get(params["AccessKeyId"], fuzzNow); ok {
				secret = ic.secret
			}
			if testSign(method, params, secret) != params["Signature"] {
				t.Fatalf("200 without a valid signature: %q %q", rawQuery, body)
			}
		}
	})
}

// TestFuzzCorpusStillMeaningful replays the committed corpus: the signed
// entries must keep reaching the outcome they were written for, otherwise
// they would silently stop exercising the signature path.
func TestFuzzCorpusStillMeaningful(t *testing.T) {
	want := map[string]string{
		"sdk-post-query":         "200",
		"popcore-get-percent20":  "200",
		"form-body-invalid-user": "ClientUser.NameInvalid",
		"sts-assume-role":        "200",
		"conflicting-values":     "InvalidParameter",
		"garbage":                "InvalidParameter",
	}
	for name, outcome := range want {
		data, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzParseAndVerify", name))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) != 5 || lines[0] != "go test fuzz v1" {
			t.Fatalf("%s: not a 4-string corpus entry", name)
		}
		var vals []string
		for _, l := range lines[1:] {
			v, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(l, "string("), ")"))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			vals = append(vals, v)
		}
		h, err := NewHandler(Options{Now: func() time.Time { return fuzzNow }})
		if err != nil {
			t.Fatal(err)
		}
		r := &http.Request{Method: vals[0], URL: &url.URL{Path: "/", RawQuery: vals[1]},
			Header: http.Header{"Content-Type": {vals[2]}}, Body: io.NopCloser(strings.NewReader(vals[3])), Host: "corpus"}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		got := h.Requests()[0].Code
		if rec.Code == 200 {
			got = "200"
		}
		if got != outcome {
			t.Errorf("%s: got %s (%d %s), want %s", name, got, rec.Code, rec.Body.String(), outcome)
		}
	}
}
