package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// changeStage is how far an action got when it failed.
type changeStage int

const (
	// stageLookUp: reading the account before the change; nothing changed.
	stageLookUp changeStage = iota + 1
	// stageChange: the changing request itself.
	stageChange
)

func (s changeStage) String() string {
	if s == stageLookUp {
		return "look-up"
	}
	return "change"
}

// changeFailure is a failed action as its diagnostic describes it.
type changeFailure struct {
	err   error
	stage changeStage
}

// changeAttributes are the top-level attributes of every action, on which
// an API error about one of them is reported (errorCodeAttributes).
func changeAttributes(name string) bool {
	return name == "smartag_id" || name == "user_name" || name == "region"
}

// addChangeError describes a failed action: the API error code and request
// ID like a read's, and always whether the account may have changed.
func addChangeError(ctx context.Context, diags *diag.Diagnostics, client *sagclient.Client, f changeFailure) {
	var (
		summary, detail string
		attr            *path.Path
		unknownErr      *sagclient.UnknownAccountsError
	)
	switch {
	case errors.As(f.err, &unknownErr):
		p := path.Root("user_name")
		summary, detail, attr = "Unknown client account", fmt.Sprintf("%v. Check user_name: it must be the name of a "+
			"client account of this instance (DescribeSmartAccessGatewayClientUsers lists them).", unknownErr), &p
	case errors.Is(context.Cause(ctx), context.DeadlineExceeded):
		summary, detail = "Action timed out", fmt.Sprintf("The action did not finish within %s, retries and waits for "+
			"the API's flow control included.\n\n%v", defaultChangeTimeout, f.err)
	case errors.Is(f.err, context.Canceled):
		summary, detail = "Action cancelled", fmt.Sprintf("The action was cancelled before it finished: %v", f.err)
	default:
		summary, detail, attr = describeReadError(readFailure{err: f.err, readTimeout: defaultChangeTimeout, hasAttribute: changeAttributes})
	}
	switch {
	case f.stage == stageLookUp:
		detail += "\n\nNothing was changed: the action stopped before its change was sent."
	case mayHaveApplied(f.err):
		detail += "\n\nThe change may have been applied: the request was sent and no answer confirmed or refused it. " +
			"Check the account with the smartag_online_clients data source; invoking the action again is safe, since it " +
			"sets an end state."
	default:
		detail += "\n\nNothing was changed: Smartag refused the request."
	}
	detail = client.Scrub(detail)
	tflog.Warn(ctx, "Smartag change failed", map[string]any{"summary": summary, "stage": f.stage.String(), "may_have_applied": f.stage == stageChange && mayHaveApplied(f.err)})
	if attr != nil {
		diags.AddAttributeError(*attr, summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

// mayHaveApplied reports whether a failed change may still have been
// carried out: anything but a refusal (an API answer below 500, throttling
// included) or a failure before the first request went out.
func mayHaveApplied(err error) bool {
	var (
		stopped *sagclient.StoppedError
		credErr *sagclient.CredentialError
	)
	if errors.As(err, &stopped) {
		if stopped.Attempts == 0 {
			return false
		}
		if stopped.Last != nil {
			err = stopped.Last
		}
	}
	var apiErr *sagclient.APIError
	switch {
	case errors.As(err, &credErr),
		errors.Is(err, sagclient.ErrNoCredentials), errors.Is(err, sagclient.ErrIncompleteKeyPair),
		errors.Is(err, sagclient.ErrNoRegion), errors.Is(err, sagclient.ErrIncompleteSubject):
		return false
	case errors.As(err, &apiErr):
		return apiErr.StatusCode >= http.StatusInternalServerError
	}
	return true
}
