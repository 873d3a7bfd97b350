package sagclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// changes are the three changing calls, with the parameter that names the
// account in each.
var changes = []struct {
	action    string
	nameParam string
	call      func(*Client, context.Context, ClientUserInput) (*ChangeOutput, error)
}{
	{ActionKickOutClients, "Username", (*Client).KickOutClients},
	{ActionDisableSmartAccessGatewayUser, "UserName", (*Client).DisableClientUser},
	{ActionEnableSmartAccessGatewayUser, "UserName", (*Client).EnableClientUser},
}

const changed = `{"RequestId":"CHANGE-REQ-1"}`

func runChange(t *testing.T, c *Client, call func(*Client, context.Context, ClientUserInput) (*ChangeOutput, error), in ClientUserInput) (*ChangeOutput, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return call(c, ctx, in)
}

var frank = ClientUserInput{SmartAGID: "sag-abc123", UserName: "frank"}

func TestChange_sendsOneSignedPOST(t *testing.T) {
	for _, ch := range changes {
		t.Run(ch.action, func(t *testing.T) {
			f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(changed) })
			out, err := runChange(t, newTestClient(t, f.endpoint(t)), ch.call, frank)
			if err != nil {
				t.Fatal(err)
			}
			if out.RequestID != "CHANGE-REQ-1" || out.Region != "cn-shanghai" || out.Stats.Requests != 1 || out.Stats.ByAction[ch.action] != 1 {
				t.Errorf("output %+v", out)
			}
			if f.count() != 1 {
				t.Fatalf("sent %d requests", f.count())
			}
			r := f.request(0)
			if r.Method != http.MethodPost {
				t.Errorf("method %s, want POST", r.Method)
			}
			q := r.Form
			for k, want := range map[string]string{
				"Action": ch.action, "Version": "2018-03-13", "RegionId": "cn-shanghai",
				"SmartAGId": "sag-abc123", ch.nameParam: "frank", "AccessKeyId": testKeyID,
			} {
				if got := q.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			other := map[string]string{"Username": "UserName", "UserName": "Username"}[ch.nameParam]
			if q.Has(other) {
				t.Errorf("the request also carries %s", other)
			}
			if q.Get("Signature") == "" {
				t.Error("unsigned")
			}
		})
	}
}

func TestChange_regionOverride(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(changed) })
	in := frank
	in.Region = "cn-hongkong"
	out, err := runChange(t, newTestClient(t, f.endpoint(t)), (*Client).KickOutClients, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Region != "cn-hongkong" || f.request(0).Form.Get("RegionId") != "cn-hongkong" {
		t.Errorf("region %s, sent %s", out.Region, f.request(0).Form.Get("RegionId"))
	}
}

func TestChange_incompleteSubjectSendsNothing(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(changed) })
	c := newTestClient(t, f.endpoint(t))
	for _, in := range []ClientUserInput{{SmartAGID: "sag-abc123"}, {UserName: "frank"}, {}} {
		for _, ch := range changes {
			if _, err := runChange(t, c, ch.call, in); !errors.Is(err, ErrIncompleteSubject) {
				t.Errorf("%s %+v: %v", ch.action, in, err)
			}
		}
	}
	if f.count() != 0 {
		t.Errorf("sent %d requests", f.count())
	}
}

// An API refusal names the code, the request ID, the account and the
// instance, and is not sent again.
func TestChange_apiErrors(t *testing.T) {
	for _, code := range []string{"SAG.InstanceNoFound", "ClientUser.NotExist", "Forbidden.RAM"} {
		t.Run(code, func(t *testing.T) {
			f := newFakeEndpoint(t, func(int, *http.Request) answer { return apiError(400, code, "REQ-REFUSED") })
			_, err := runChange(t, newTestClient(t, f.endpoint(t)), (*Client).DisableClientUser, frank)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want *APIError, got %T: %v", err, err)
			}
			if apiErr.Code != code || apiErr.RequestID != "REQ-REFUSED" || apiErr.Action != ActionDisableSmartAccessGatewayUser {
				t.Errorf("got %+v", apiErr)
			}
			if msg := err.Error(); !strings.Contains(msg, `account "frank" of sag-abc123`) {
				t.Errorf("error does not name the account and instance: %s", msg)
			}
			if f.count() != 1 {
				t.Errorf("sent %d requests, want 1", f.count())
			}
		})
	}
}

// A throttling refusal was not run: the change is sent again, freshly
// signed. A 5xx leaves open whether it ran; the changes set an end state,
// so it is sent again too, within MaxRetries.
func TestChange_resentAfterThrottlingAndServerErrors(t *testing.T) {
	for _, ch := range changes {
		t.Run(ch.action, func(t *testing.T) {
			f := newFakeEndpoint(t, func(n int, _ *http.Request) answer {
				switch n {
				case 1:
					return apiError(400, "Throttling.User", "T1")
				case 2:
					return apiError(503, "ServiceUnavailable", "T2")
				default:
					return ok(changed)
				}
			})
			c := newTestClient(t, f.endpoint(t))
			out, err := runChange(t, c, ch.call, frank)
			if err != nil {
				t.Fatal(err)
			}
			if f.count() != 3 || out.Stats.Throttled != 1 || out.Stats.Retries != 1 {
				t.Errorf("requests %d, stats %+v", f.count(), out.Stats)
			}
			if f.request(0).Form.Get("SignatureNonce") == f.request(2).Form.Get("SignatureNonce") {
				t.Error("a resent change reused its nonce")
			}
		})
	}
}

func TestChange_maxRetries(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return apiError(500, "InternalError", "R") })
	_, err := runChange(t, newTestClient(t, f.endpoint(t), func(c *Config) { c.MaxRetries = 1 }), (*Client).KickOutClients, frank)
	var exhausted *RetriesExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Attempts != 2 || f.count() != 2 {
		t.Fatalf("%T %v after %d requests", err, err, f.count())
	}
}

// A 200 without a RequestId is not the API's confirmation.
func TestChange_answerWithoutRequestID(t *testing.T) {
	f := newFakeEndpoint(t, func(int, *http.Request) answer { return ok(`{}`) })
	_, err := runChange(t, newTestClient(t, f.endpoint(t)), (*Client).EnableClientUser, frank)
	var decodeErr *DecodeError
	if !errors.As(err, &decodeErr) {
		t.Fatalf("want *DecodeError, got %T: %v", err, err)
	}
	if f.count() != 1 {
		t.Errorf("sent %d requests", f.count())
	}
}

func TestLookupClientUser(t *testing.T) {
	f := newFakeEndpoint(t, func(_ int, r *http.Request) answer {
		switch r.Form.Get("UserName") {
		case "frank":
			return ok(`{"RequestId":"LOOKUP-1","TotalCount":1,"PageNumber":1,"PageSize":100,"Users":{"User":[{"UserName":"frank","State":1}]}}`)
		case "liar":
			// An answer that lists another account than the one asked for.
			return ok(`{"RequestId":"LOOKUP-2","TotalCount":1,"PageNumber":1,"PageSize":100,"Users":{"User":[{"UserName":"alice","State":0}]}}`)
		default:
			return ok(`{"RequestId":"LOOKUP-3","TotalCount":0,"PageNumber":1,"PageSize":100,"Users":{"User":[]}}`)
		}
	})
	c := newTestClient(t, f.endpoint(t))
	lookup := func(in ClientUserInput) (*ClientUserState, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return c.LookupClientUser(ctx, in)
	}
	got, err := lookup(frank)
	if err != nil {
		t.Fatal(err)
	}
	if got.Enabled || got.UserName != "frank" || got.RequestID != "LOOKUP-1" || got.Region != "cn-shanghai" {
		t.Errorf("frank: %+v", got)
	}
	if q := f.request(0).Form; q.Get("Action") != ActionDescribeSmartAccessGatewayClientUsers || q.Get("UserName") != "frank" {
		t.Errorf("sent %v", q)
	}
	for _, name := range []string{"mallory", "liar"} {
		_, err := lookup(ClientUserInput{SmartAGID: "sag-abc123", UserName: name})
		var unknown *UnknownAccountsError
		if !errors.As(err, &unknown) || unknown.Names[0] != name {
			t.Errorf("%s: %v", name, err)
		}
	}
}
