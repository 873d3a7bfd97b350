package sagclient

import (
	"context"
	"errors"
)

// The API actions that change a client account. They go through send like
// every read: signed, paced by the rate governor under their own quota key
// (region/action: the API limits each action separately), errors mapped
// with code and request ID.
//
// Retries: send sends a request again after a throttling refusal (the API
// did not run it) and, up to MaxRetries, after a failure that leaves open
// whether it ran (a 5xx, a lost connection). For these three actions the
// second is safe too, because each sets an end state rather than stepping
// from one: the API reference documents no error for kicking out an
// account that has no session or for disabling a disabled (enabling an
// enabled) account, and the mock answers both with success, so running one
// twice leaves the account as running it once does. A client that came
// online between two attempts of a kick-out is kicked out too, which is
// what the caller asked for.
const (
	ActionKickOutClients                = "KickOutClients"
	ActionDisableSmartAccessGatewayUser = "DisableSmartAccessGatewayUser"
	ActionEnableSmartAccessGatewayUser  = "EnableSmartAccessGatewayUser"
)

// ClientUserInput names the client account a change is about.
type ClientUserInput struct {
	// Region overrides the client's region when set.
	Region    string
	SmartAGID string
	UserName  string
}

// ChangeOutput is what a change reports.
type ChangeOutput struct {
	// Region is the region actually used.
	Region string
	// RequestID is the RequestId of the answer that confirmed the change.
	RequestID string
	Stats     Stats
}

// ErrIncompleteSubject refuses a change without an instance or an account
// before anything is sent: the API's meaning of an empty name is not
// documented, and a change must not guess.
var ErrIncompleteSubject = errors.New("a change needs both a SAG instance ID and a user name")

// change sends one request that changes an account. send logs each
// attempt; the provider logs the outcome, so that every change can be
// traced by its request ID.
func change[R apiAnswer](ctx context.Context, c *Client, in ClientUserInput, build func(region string) action[R]) (*ChangeOutput, error) {
	if in.SmartAGID == "" || in.UserName == "" {
		return nil, ErrIncompleteSubject
	}
	region, err := c.Region(in.Region)
	if err != nil {
		return nil, err
	}
	a := build(region)
	st := newStatsRecorder()
	resp, err := send(ctx, c, st, call{region: region, about: Subject{SmartAGID: in.SmartAGID, UserName: in.UserName}}, a)
	if err != nil {
		return nil, err
	}
	return &ChangeOutput{Region: region, RequestID: c.scrub.scrub(resp.requestID()), Stats: st.snapshot()}, nil
}
