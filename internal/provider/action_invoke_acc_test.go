package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// cliWorkspace is a configuration directory run by the CLI itself, with
// the provider built as a real process.
type cliWorkspace struct {
	t      *testing.T
	tfPath string
	dir    string
	env    []string
}

func newCLIWorkspace(t *testing.T, tfPath, config string) cliWorkspace {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(requiredProviders+config), 0o600); err != nil {
		t.Fatal(err)
	}
	return cliWorkspace{t: t, tfPath: tfPath, dir: dir, env: tfEnv(devProviderCLIConfig(t))}
}

// run runs the CLI; it returns stdout and stderr together, and whether it
// succeeded.
func (w cliWorkspace) run(args ...string) (string, error) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.tfPath, args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func (w cliWorkspace) mustRun(args ...string) string {
	w.t.Helper()
	out, err := w.run(args...)
	if err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func wantLines(t *testing.T, out string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		// Terraform wraps diagnostics: any run of spaces and newlines
		// matches one space.
		if !messagePattern(l).MatchString(out) {
			t.Errorf("output lacks %q:\n%s", l, out)
		}
	}
}

const invokeOutputs = `
output "frank" {
  value = one([for u in data.smartag_online_clients.gateway.users : u if u.user_name == "frank"])
}
`

// The remediation the guide shows, run as an operator runs it: plain plans
// and applies, and plan -invoke, change nothing; apply -invoke changes the
// one account it names, printing what it does; the audit then reads the
// account offline and disabled.
func TestAccActions_invokeFromTheCLI(t *testing.T) {
	tfPath := requireActions(t)
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	w := newCLIWorkspace(t, tfPath, providerBlock(srv)+clientUserActions("frank")+clientUserActions("alice")+
		fmt.Sprintf(gatewayAudit, sampleID)+invokeOutputs)

	w.mustRun("plan", "-input=false", "-no-color", "-lock=false")
	w.mustRun("apply", "-input=false", "-no-color", "-auto-approve")
	out := w.mustRun("plan", "-input=false", "-no-color", "-invoke=action.smartag_kick_out_clients.frank")
	wantLines(t, out, "Actions: 1 to invoke.", `action "smartag_kick_out_clients" "frank"`)
	if got := changesSent(srv); len(got) != 0 {
		t.Fatalf("plans and applies without -invoke sent %v", got)
	}

	srv.Reset()
	out = w.mustRun("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action.smartag_kick_out_clients.frank")
	wantLines(t, out,
		"Action started: action.smartag_kick_out_clients.frank (triggered by CLI)",
		`Action action.smartag_kick_out_clients.frank (triggered by CLI): Looking up account "frank" on SAG instance `+sampleID,
		`Kicking out the clients of account "frank" of SAG instance `+sampleID+" (cn-shanghai): 1 session online from 10.10.4.2",
		`Kicked out account "frank" of SAG instance `+sampleID+" (cn-shanghai): 1 session ended; it stays disabled (request ID ",
		"Action complete: action.smartag_kick_out_clients.frank (triggered by CLI)",
		"Actions: 1 invoked.")
	if err := wantChanges(srv, "KickOutClients:frank"); err != nil {
		t.Error(err)
	}
	// apply -invoke reads no data source: the look-up and the session list
	// are the action's own.
	if n := srv.Count("DescribeUserOnlineClientStatistics"); n != 0 {
		t.Errorf("apply -invoke read the audit (%d statistics requests)", n)
	}

	out = w.mustRun("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action.smartag_disable_client_user.frank")
	wantLines(t, out, `it is already disabled`, `Nothing changed: account "frank" of SAG instance `+sampleID+" (cn-shanghai) was already disabled")
	out = w.mustRun("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action.smartag_disable_client_user.alice")
	wantLines(t, out, `Disabled account "alice" of SAG instance `+sampleID+" (cn-shanghai): it can no longer sign in")
	if err := wantChanges(srv, "KickOutClients:frank", "DisableSmartAccessGatewayUser:frank", "DisableSmartAccessGatewayUser:alice"); err != nil {
		t.Error(err)
	}

	// The re-read: frank offline and disabled.
	w.mustRun("apply", "-input=false", "-no-color", "-auto-approve")
	var frank struct {
		Value struct {
			Enabled     bool  `json:"enabled"`
			OnlineCount int64 `json:"online_count"`
		} `json:"value"`
	}
	if err := json.Unmarshal([]byte(w.mustRun("output", "-json", "frank")), &frank); err != nil {
		t.Fatal(err)
	}
	if frank.Value.Enabled || frank.Value.OnlineCount != 0 {
		t.Errorf("the audit after the remediation: frank %+v", frank.Value)
	}
}

// What must fail does so before anything changes: an invalid configuration
// at plan time without a request; an unknown account at the look-up, with
// no changing request; an unknown instance likewise.
func TestAccActions_invokeRefusals(t *testing.T) {
	tfPath := requireActions(t)
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := providerBlock(srv) + clientUserActions("mallory") + `
action "smartag_disable_client_user" "blank" {
  config {
    smartag_id = "sag-sample0shanghai01"
    user_name  = "  "
  }
}

action "smartag_kick_out_clients" "bad_id" {
  config {
    smartag_id = "SAG-Upper"
    user_name  = "alice"
    region     = "Shanghai"
  }
}

action "smartag_enable_client_user" "elsewhere" {
  config {
    smartag_id = "sag-nosuchinstance"
    user_name  = "alice"
  }
}
`
	w := newCLIWorkspace(t, tfPath, config)
	out, err := w.run("validate", "-no-color")
	if err == nil {
		t.Fatalf("validate accepted invalid actions:\n%s", out)
	}
	wantLines(t, out, "Attribute user_name must not be empty or blank", "Invalid SAG instance ID", "must be a region ID such as cn-shanghai")
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("validate sent %d requests", n)
	}

	// The invalid ones out of the way, each refusal in turn.
	config = providerBlock(srv) + clientUserActions("mallory") + `
action "smartag_enable_client_user" "elsewhere" {
  config {
    smartag_id = "sag-nosuchinstance"
    user_name  = "alice"
  }
}
`
	w = newCLIWorkspace(t, tfPath, config)
	for _, c := range []struct{ action, want string }{
		{"smartag_kick_out_clients.mallory", `has no client account named "mallory"`},
		{"smartag_disable_client_user.mallory", `has no client account named "mallory"`},
		{"smartag_enable_client_user.elsewhere", "SAG.InstanceNoFound"},
	} {
		out, err := w.run("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action."+c.action)
		if err == nil {
			t.Errorf("%s succeeded:\n%s", c.action, out)
			continue
		}
		wantLines(t, out, c.want, "Nothing was changed")
	}
	if got := changesSent(srv); len(got) != 0 {
		t.Errorf("refused actions sent %v", got)
	}
}

// An endpoint that answers every change with success and changes nothing:
// the action's second look says so in a warning, instead of reporting a
// change that did not happen.
func TestAccActions_successThatTheListingContradicts(t *testing.T) {
	tfPath := requireActions(t)
	isolateEnv(t)
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		switch r.Form.Get("Action") {
		case "DescribeSmartAccessGatewayClientUsers":
			_, _ = w.Write([]byte(`{"RequestId":"LIST-1","TotalCount":1,"PageNumber":1,"PageSize":100,"Users":{"User":[{"UserName":"bob","State":0}]}}`))
		case "DescribeUserOnlineClients":
			_, _ = w.Write([]byte(`{"RequestId":"ONLINE-1","Users":{"User":[{"ClientIp":"10.10.2.7","OnlineTime":"1764320000"}]}}`))
		default:
			_, _ = w.Write([]byte(`{"RequestId":"LIE-1"}`))
		}
	}))
	t.Cleanup(liar.Close)
	w := newCLIWorkspace(t, tfPath, providerBlockWithKey(liar.URL, "LTAIcannedAnswerKey1", "canned-answer-secret-0001")+clientUserActions("bob"))
	out := w.mustRun("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action.smartag_disable_client_user.bob")
	wantLines(t, out, "Warning: Change not visible yet", "(request ID LIST-1) still reports it enabled",
		`Change of account "bob" of SAG instance `+sampleID+" (cn-shanghai) accepted, but the listing does not show it disabled (see the warning)")
	out = w.mustRun("apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action.smartag_kick_out_clients.bob")
	wantLines(t, out, "Warning: Still online after the kick-out", "(request ID ONLINE-1) still shows 1 session: 10.10.2.7",
		"disable it first", `Kick-out of account "bob" of SAG instance `+sampleID+" (cn-shanghai) accepted, but 1 session still listed (see the warning)")
}
