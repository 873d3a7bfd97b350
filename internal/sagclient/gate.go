package sagclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

// gate is where every request waits for its turn: a rate governor keyed
// by region and action, shared by every read and by the audit fan-out. It
// learns each action's rate from the answers, stays under a configured
// ceiling, and bounds the requests in flight.
type gate struct {
	gov *flowcontrol.Governor
	// shared is the state shared with this machine's other runs; nil when
	// not shared.
	shared *sharedState
}

// gates holds one gate per identity for the life of the process: provider
// configurations (aliases, or the successive configurations of an
// in-process test) that send with the same credentials to the same
// endpoint share one quota, so they share what was learned of it.
var gates = struct {
	sync.Mutex
	m map[string]*gate
}{m: map[string]*gate{}}

// sharedGate is the gate of the configuration cfg describes.
func sharedGate(cfg Config) *gate {
	id := gateIdentity(cfg)
	gates.Lock()
	defer gates.Unlock()
	key := id + "|" + cfg.FlowStateDir
	g, ok := gates.m[key]
	if !ok {
		g = newGate(cfg, id)
		gates.m[key] = g
	}
	return g
}

// gateIdentity names whose quota a configuration spends: the endpoint, the
// credentials as far as they are known before any is fetched, the role
// assumed, and the ceiling (two ceilings cannot share one governor). No
// secret is part of it.
func gateIdentity(cfg Config) string {
	endpoint := "default"
	if cfg.Endpoint != nil {
		endpoint = cfg.Endpoint.URL()
	}
	c := cfg.Credentials
	who := c.AccessKeyID
	if who == "" {
		oidc := ""
		if c.OIDC != nil {
			oidc = c.OIDC.ProviderARN + ">" + c.OIDC.RoleARN
		}
		who = fmt.Sprintf("profile=%s@%s;uri=%s;ecs=%s;oidc=%s", c.Profile, c.ProfileFile, uriOrigin(c.CredentialsURI), c.ECSRoleName, oidc)
	}
	role := ""
	if c.AssumeRole != nil {
		role = c.AssumeRole.RoleARN
	}
	return fmt.Sprintf("%s|%s|%s|%g", endpoint, who, role, cfg.MaxRequestsPerSecond)
}

// acquire waits until a request of key may be sent, or ctx ends.
func (g *gate) acquire(ctx context.Context, key string) (*flowcontrol.Ticket, time.Duration, error) {
	t, err := g.gov.Acquire(ctx, key)
	if err != nil {
		return nil, 0, err
	}
	return t, t.Waited(), nil
}

// done reports an attempt's outcome and logs, with the request's context,
// any change of the rate the governor has learned for key.
func (g *gate) done(ctx context.Context, logger Logger, key string, t *flowcontrol.Ticket, err error) {
	before := g.gov.Rate(key)
	o := outcomeOf(err)
	t.Done(o)
	g.shared.report(ctx, logger)
	if after := g.gov.Rate(key); after != before {
		// 0 means no limit known.
		fields := map[string]any{"key": key, "old_rps": before, "new_rps": after, "after": o.String()}
		if o == flowcontrol.Throttled {
			// The run's refusals so far, at INFO: what flow control cost.
			refused, granted := g.gov.Refusals(key)
			fields["refused"], fields["sent"] = refused, granted
			infoOrDebug(logger)(ctx, "Smartag throttled the requests: pacing them", fields)
			return
		}
		logger.Debug(ctx, "Smartag request rate changed", fields)
	}
}

// outcomeOf is what an attempt tells the governor: any answer of the API
// that is not a throttle shows the request was admitted; no answer at all
// carries no rate signal.
func outcomeOf(err error) flowcontrol.Outcome {
	var (
		apiErr  *APIError
		credErr *CredentialError
	)
	switch {
	case err == nil:
		return flowcontrol.Success
	case isThrottling(err):
		return flowcontrol.Throttled
	case errors.As(err, &credErr):
		return flowcontrol.Failed
	case errors.As(err, &apiErr):
		return flowcontrol.Success
	}
	return flowcontrol.Failed
}

// uriOrigin is a URI's scheme and host: its path or query may hold a
// secret, which must not become part of an identity kept in memory.
func uriOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
