package smartagmock

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestHandSignedTransports(t *testing.T) {
	s := startServer(t, Options{})
	cases := []struct {
		name string
		call rawCall
	}{
		{"GET with %20 (pop-core)", rawCall{method: http.MethodGet}},
		{"POST query with + (Go SDK)", rawCall{method: http.MethodPost, plus: true}},
		{"POST form body (pop-core POST)", rawCall{method: http.MethodPost, inBody: true}},
		{"POST form body with +", rawCall{method: http.MethodPost, inBody: true, plus: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.call
			c.params = describeParams(t, SampleInstanceID, "alice")
			// A value with spaces proves the space encodings round-trip.
			c.params["OwnerAccount"] = "owner with spaces"
			c.params["SignatureType"] = "" // signed although empty, as the Go SDK does
			c.secret = SampleAccessKeySecret
			d := c.do(t, s.URL).wantOnline(t)
			if len(d.Users.User) != 3 || d.Users.User[2].ClientIP != "172.16.5.9" {
				t.Fatalf("unexpected users: %+v", d.Users.User)
			}
		})
	}
}

func TestHandSignedSpecialCharacters(t *testing.T) {
	s := startServer(t, Options{})
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		for _, inBody := range []bool{false, true} {
			if method == http.MethodGet && inBody {
				continue
			}
			p := describeParams(t, SampleInstanceID, "zoë/a+b*c~d e")
			p["OwnerAccount"] = "ü/+*~ &=%"
			a := rawCall{method: method, params: p, secret: SampleAccessKeySecret, inBody: inBody}.do(t, s.URL)
			// The signature passes; the name then fails the user-name rule.
			a.wantError(t, http.StatusBadRequest, "ClientUser.NameInvalid")
		}
	}
}

func TestSignatureUsesRealMethod(t *testing.T) {
	s := startServer(t, Options{})
	p := describeParams(t, SampleInstanceID, "alice")
	p["Signature"] = testSign(http.MethodGet, p, SampleAccessKeySecret)
	a := rawCall{method: http.MethodPost, params: p, noSign: true}.do(t, s.URL)
	d := a.wantError(t, http.StatusBadRequest, "SignatureDoesNotMatch")
	if !strings.Contains(d.Message, "server string to sign is:POST&%2F&") {
		t.Fatalf("message lacks the server string to sign: %q", d.Message)
	}
}

func TestFormatAbsentMeansXML(t *testing.T) {
	s := startServer(t, Options{})
	p := describeParams(t, SampleInstanceID, "bob")
	delete(p, "Format")
	a := rawCall{method: http.MethodGet, params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/xml") {
		t.Fatalf("status %d type %q", a.status, a.header.Get("Content-Type"))
	}
	var doc struct {
		XMLName xml.Name `xml:"DescribeUserOnlineClients"`
		Users   struct {
			User []struct {
				OnlineTime string `xml:"OnlineTime"`
				ClientIp   string `xml:"ClientIp"`
			} `xml:"User"`
		} `xml:"Users"`
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(a.body, &doc); err != nil {
		t.Fatalf("decode XML: %v\n%s", err, a.body)
	}
	if len(doc.Users.User) != 1 || doc.Users.User[0].ClientIp != "10.10.2.7" || doc.RequestID == "" {
		t.Fatalf("unexpected XML answer: %s", a.body)
	}

	// Errors are XML too.
	p = describeParams(t, "sag-nope", "bob")
	delete(p, "Format")
	a = rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
	var e struct {
		XMLName   xml.Name `xml:"Error"`
		RequestID string   `xml:"RequestId"`
		HostID    string   `xml:"HostId"`
		Code      string   `xml:"Code"`
		Message   string   `xml:"Message"`
	}
	if err := xml.Unmarshal(a.body, &e); err != nil || a.status != 400 || e.Code != "SAG.InstanceNoFound" || e.HostID == "" || e.RequestID == "" {
		t.Fatalf("XML error: %d %v %s", a.status, err, a.body)
	}
}

func TestReplayedNonce(t *testing.T) {
	s := startServer(t, Options{})
	p := describeParams(t, SampleInstanceID, "alice")
	c := rawCall{params: p, secret: SampleAccessKeySecret}
	c.do(t, s.URL).wantOnline(t)
	c.do(t, s.URL).wantError(t, http.StatusBadRequest, "SignatureNonceUsed")
	// A badly signed request must not burn a nonce.
	p2 := describeParams(t, SampleInstanceID, "alice")
	rawCall{params: p2, secret: "wrong"}.do(t, s.URL).wantError(t, http.StatusBadRequest, "SignatureDoesNotMatch")
	rawCall{params: p2, secret: SampleAccessKeySecret}.do(t, s.URL).wantOnline(t)
}

func TestTimestampChecks(t *testing.T) {
	s := startServer(t, Options{})
	for _, off := range []time.Duration{-20 * time.Minute, 20 * time.Minute} {
		p := describeParams(t, SampleInstanceID, "alice")
		p["Timestamp"] = time.Now().Add(off).UTC().Format("2006-01-02T15:04:05Z")
		rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusBadRequest, "InvalidTimeStamp.Expired")
	}
	for _, bad := range []string{"yesterday", "2025-01-01 00:00:00", "2025-01-01T00:00:00.123Z", "2025-01-01T00:00:00+08:00", ""} {
		p := describeParams(t, SampleInstanceID, "alice")
		p["Timestamp"] = bad
		rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusBadRequest, "InvalidTimeStamp.Format")
	}
}

func TestInjectedClock(t *testing.T) {
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s := startServer(t, Options{Now: func() time.Time { return fixed }})
	p := describeParams(t, SampleInstanceID, "alice")
	p["Timestamp"] = fixed.Add(-10 * time.Minute).Format("2006-01-02T15:04:05Z")
	rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantOnline(t)
	p = describeParams(t, SampleInstanceID, "alice") // real clock: years off the mock's
	rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusBadRequest, "InvalidTimeStamp.Expired")
}

func TestMissingParameters(t *testing.T) {
	s := startServer(t, Options{})
	for _, name := range []string{"Action", "AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Version", "RegionId"} {
		t.Run(name, func(t *testing.T) {
			p := describeParams(t, SampleInstanceID, "alice")
			delete(p, name)
			c := rawCall{params: p, secret: SampleAccessKeySecret}
			if name == "Signature" {
				c.noSign = true
			}
			d := c.do(t, s.URL).wantError(t, http.StatusBadRequest, "MissingParameter")
			if !strings.Contains(d.Message, `"`+name+`"`) {
				t.Fatalf("message does not name %s: %q", name, d.Message)
			}
		})
	}
	// Several missing: the first in the gateway's order is named.
	p := describeParams(t, SampleInstanceID, "alice")
	delete(p, "Timestamp")
	delete(p, "SignatureMethod")
	d := rawCall{params: p, noSign: true}.do(t, s.URL).wantError(t, http.StatusBadRequest, "MissingParameter")
	if !strings.Contains(d.Message, `"Signature"`) {
		t.Fatalf("want Signature named first, got %q", d.Message)
	}
}

func TestSignatureMethodAndVersion(t *testing.T) {
	s := startServer(t, Options{})
	for name, val := range map[string]string{"SignatureMethod": "HMAC-SHA256", "SignatureVersion": "2.0"} {
		p := describeParams(t, SampleInstanceID, "alice")
		p[name] = val
		d := rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusBadRequest, "InvalidParameter")
		if !strings.Contains(d.Message, name) {
			t.Fatalf("message does not name %s: %q", name, d.Message)
		}
	}
}

func TestUnknownActionAndVersion(t *testing.T) {
	s := startServer(t, Options{})
	p := describeParams(t, SampleInstanceID, "alice")
	p["Action"] = "DescribeSmartAccessGatewayAttribute"
	rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusNotFound, "InvalidAction.NotFound")

	p = describeParams(t, SampleInstanceID, "alice")
	p["Version"] = "2019-01-01"
	rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusNotFound, "InvalidAction.NotFound")

	p = baseParams(t, "AssumeRole", "2018-03-13", SampleAccessKeyID, time.Now())
	rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusNotFound, "InvalidAction.NotFound")
}

func TestHeadersNotNeededAndIgnored(t *testing.T) {
	s := startServer(t, Options{})
	// Misleading x-acs-* headers change nothing: parameters rule.
	p := describeParams(t, SampleInstanceID, "alice")
	a := rawCall{params: p, secret: SampleAccessKeySecret, headers: map[string]string{
		"x-acs-action": "AssumeRole", "x-acs-version": "2015-04-01",
	}}.do(t, s.URL)
	a.wantOnline(t)
	if a.header.Get("x-acs-request-id") == "" {
		t.Fatal("no x-acs-request-id header")
	}
}

func TestConflictingAndMalformedParameters(t *testing.T) {
	s := startServer(t, Options{})
	p := describeParams(t, SampleInstanceID, "alice")
	p["Signature"] = testSign(http.MethodPost, p, SampleAccessKeySecret)
	q := encodeParams(p, false)
	// Same name, other value in the body.
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/?"+q, strings.NewReader("UserName=bob"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("conflicting values: status %d", resp.StatusCode)
	}
	// Same value in both places is one parameter.
	p = describeParams(t, SampleInstanceID, "alice")
	p["Signature"] = testSign(http.MethodPost, p, SampleAccessKeySecret)
	q = encodeParams(p, false)
	req, _ = http.NewRequest(http.MethodPost, s.URL+"/?"+q, strings.NewReader("UserName=alice"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("duplicated equal values: status %d", resp.StatusCode)
	}
	// Bad escapes and oversized bodies are 400, not a crash.
	resp, err = http.Get(s.URL + "/?Action=%zz&Format=JSON")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad escape: status %d", resp.StatusCode)
	}
	big := strings.NewReader("A=" + strings.Repeat("x", maxBodyBytes+10))
	req, _ = http.NewRequest(http.MethodPost, s.URL+"/", big)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("big body: status %d", resp.StatusCode)
	}
}

func TestSecurityTokenOnLongTermKeyRefused(t *testing.T) {
	s := startServer(t, Options{})
	p := describeParams(t, SampleInstanceID, "alice")
	p["SecurityToken"] = "unexpected"
	d := rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusBadRequest, "InvalidSecurityToken.Malformed")
	if strings.Contains(d.Message, "unexpected") {
		t.Fatal("error message echoes the token")
	}
}
