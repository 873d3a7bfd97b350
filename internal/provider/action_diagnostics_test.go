package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

func TestMayHaveApplied(t *testing.T) {
	refused := &sagclient.APIError{Action: sagclient.ActionKickOutClients, StatusCode: 400, Code: "SAG.InstanceNoFound", RequestID: "R1"}
	throttled := &sagclient.APIError{Action: sagclient.ActionKickOutClients, StatusCode: 400, Code: "Throttling.User", RequestID: "R2"}
	unavailable := &sagclient.APIError{Action: sagclient.ActionKickOutClients, StatusCode: 503, Code: "ServiceUnavailable", RequestID: "R3"}
	lost := &sagclient.TransportError{Endpoint: "https://smartag.cn-shanghai.aliyuncs.com", Err: errors.New("connection reset by peer")}
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"a 4xx refusal", refused, false},
		{"a throttle", throttled, false},
		{"a 5xx", unavailable, true},
		{"retries of a 5xx used up", &sagclient.RetriesExhaustedError{Attempts: 4, Limit: sagclient.LimitMaxRetries, MaxRetries: 3, Err: unavailable}, true},
		{"a lost connection", lost, true},
		{"an answer that does not decode", &sagclient.DecodeError{Action: sagclient.ActionKickOutClients, StatusCode: 200, Err: errors.New("unexpected end of JSON input")}, true},
		{"stopped while waiting before any request", &sagclient.StoppedError{Action: sagclient.ActionKickOutClients, WhileWaiting: true, Err: context.DeadlineExceeded}, false},
		{"stopped after throttles", &sagclient.StoppedError{Action: sagclient.ActionKickOutClients, Attempts: 3, Throttled: 3, Err: context.DeadlineExceeded, Last: throttled}, false},
		{"stopped with a request in flight", &sagclient.StoppedError{Action: sagclient.ActionKickOutClients, Attempts: 1, Err: context.Canceled, Last: lost}, true},
		{"no credentials", sagclient.ErrNoCredentials, false},
		{"credentials refused", &sagclient.CredentialError{Source: "assume_role", Err: unavailable}, false},
		{"no subject", sagclient.ErrIncompleteSubject, false},
	} {
		if got := mayHaveApplied(c.err); got != c.want {
			t.Errorf("%s: mayHaveApplied = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAddChangeError(t *testing.T) {
	client, err := sagclient.New(sagclient.Config{Region: "cn-shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		f           changeFailure
		wantSummary string
		wantDetail  []string
		wantAttr    string
	}{
		{"unknown account at the look-up", changeFailure{err: &sagclient.UnknownAccountsError{SmartAGID: "sag-abc", Names: []string{"mallory"}}, stage: stageLookUp},
			"Unknown client account", []string{`sag-abc has no client account named "mallory"`, "Nothing was changed: the action stopped before its change was sent."}, "user_name"},
		{"refused change", changeFailure{err: &sagclient.APIError{Action: sagclient.ActionDisableSmartAccessGatewayUser, StatusCode: 403, Code: "Forbidden.RAM", RequestID: "REQ-RAM"}, stage: stageChange},
			"Smartag API error Forbidden.RAM", []string{"REQ-RAM", "smartag:DisableSmartAccessGatewayUser", "Nothing was changed: Smartag refused the request."}, ""},
		{"unknown account refused by the API", changeFailure{err: &sagclient.APIError{Action: sagclient.ActionKickOutClients, StatusCode: 400, Code: "ClientUser.NotExist", RequestID: "REQ-NX"}, stage: stageChange},
			"Smartag API error ClientUser.NotExist", []string{"REQ-NX", "Nothing was changed"}, "user_name"},
		{"ambiguous change", changeFailure{err: &sagclient.RetriesExhaustedError{Attempts: 4, Limit: sagclient.LimitMaxRetries, MaxRetries: 3,
			Err: &sagclient.APIError{Action: sagclient.ActionKickOutClients, StatusCode: 500, Code: "InternalError", RequestID: "REQ-500"}}, stage: stageChange},
			"Smartag API error InternalError after 4 attempts", []string{"REQ-500", "The change may have been applied", "invoking the action again is safe"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addChangeError(context.Background(), &diags, client, c.f)
			checkOneError(t, diags, c.wantSummary, c.wantDetail, c.wantAttr)
		})
	}

	t.Run("timed out", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		var diags diag.Diagnostics
		addChangeError(ctx, &diags, client, changeFailure{err: &sagclient.StoppedError{Action: sagclient.ActionKickOutClients, Attempts: 1, Err: context.DeadlineExceeded,
			Last: &sagclient.TransportError{Endpoint: "https://e", Err: context.DeadlineExceeded}}, stage: stageChange})
		checkOneError(t, diags, "Action timed out", []string{"within 2m0s", "The change may have been applied"}, "")
	})
}

func checkOneError(t *testing.T, diags diag.Diagnostics, summary string, details []string, attr string) {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity() != diag.SeverityError {
		t.Fatalf("want one error, got %v", diags)
	}
	d := diags[0]
	if !strings.Contains(d.Summary(), summary) {
		t.Errorf("summary %q, want %q", d.Summary(), summary)
	}
	for _, w := range details {
		if !strings.Contains(d.Detail(), w) {
			t.Errorf("detail lacks %q:\n%s", w, d.Detail())
		}
	}
	withPath, ok := d.(diag.DiagnosticWithPath)
	switch {
	case attr == "" && ok:
		t.Errorf("error on %s, want none", withPath.Path())
	case attr != "" && (!ok || !withPath.Path().Equal(path.Root(attr))):
		t.Errorf("error not on %s: %v", attr, d)
	}
}
