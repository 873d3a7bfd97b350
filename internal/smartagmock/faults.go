package smartagmock

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Faults make the Smartag actions misbehave the way the real service and the
// network in front of it do, so retry and error paths can be tested. They
// apply to every Smartag action, never to STS AssumeRole.
type Faults struct {
	Latency           time.Duration // added to every request
	Jitter            time.Duration // uniform 0..Jitter added on top
	ThrottleRate      float64       // probability 0..1 of 400 Throttling.User
	UnavailableRate   float64       // probability of 503 ServiceUnavailable
	InternalErrorRate float64       // probability of 500 InternalError
	FailFirst         int           // fail the first N DescribeUserOnlineClients requests of EACH (instance,user) pair, and of each (action,instance) for the other actions ...
	FailFirstCode     string        // ... with this code (default "ServiceUnavailable"; also Throttling, Throttling.User, Throttling.Api, InternalError, "html", "truncated")
	Malformed         string        // "" | "html" (502 with an HTML error page) | "truncated" (200 with the answer cut in half)
	MalformedRate     float64       // probability for Malformed (0 means always when Malformed is set)

	// Listing makes listings lie (one of ListingFaults, see faults_listing.go)
	// in the first ListingTimes listings of each (action, instance), or of
	// each (instance, name) for ListingMissingName; 0 means in every one.
	Listing      string
	ListingTimes int
	// EmptyEntries, when above 0, answers DescribeUserOnlineClients with
	// that many empty entries "{}" instead of the account's clients.
	EmptyEntries int
}

// Malformed answer kinds.
const (
	MalformedHTML      = "html"
	MalformedTruncated = "truncated"
)

// faultErrors are the service-side error codes a fault may produce, with the
// status the real gateway uses (Throttling* as 400, see rpc-protocol.md).
var faultErrors = map[string]*apiError{
	"Throttling":         newAPIError(http.StatusBadRequest, "Throttling", "Request was denied due to flow control."),
	"Throttling.User":    newAPIError(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control."),
	"Throttling.Api":     newAPIError(http.StatusBadRequest, "Throttling.Api", "Request was denied due to api flow control."),
	"ServiceUnavailable": newAPIError(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
	"InternalError":      newAPIError(http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure."),
}

const defaultFailFirstCode = "ServiceUnavailable"

// Validate reports settings NewHandler refuses (SetFaults clamps instead).
func (f Faults) Validate() error {
	var errs []error
	if f.Latency < 0 {
		errs = append(errs, errors.New("latency must not be negative"))
	}
	if f.Jitter < 0 {
		errs = append(errs, errors.New("jitter must not be negative"))
	}
	for name, r := range map[string]float64{
		"throttle rate": f.ThrottleRate, "unavailable rate": f.UnavailableRate,
		"internal error rate": f.InternalErrorRate, "malformed rate": f.MalformedRate,
	} {
		if !(r >= 0 && r <= 1) { // also catches NaN
			errs = append(errs, fmt.Errorf("%s must be between 0 and 1, got %v", name, r))
		}
	}
	if f.FailFirst < 0 {
		errs = append(errs, errors.New("fail-first must not be negative"))
	}
	if c := f.FailFirstCode; c != "" && c != MalformedHTML && c != MalformedTruncated && faultErrors[c] == nil {
		errs = append(errs, fmt.Errorf("fail-first code %q is not one of Throttling, Throttling.User, Throttling.Api, ServiceUnavailable, InternalError, html, truncated", c))
	}
	if m := f.Malformed; m != "" && m != MalformedHTML && m != MalformedTruncated {
		errs = append(errs, fmt.Errorf("malformed must be %q or %q, got %q", MalformedHTML, MalformedTruncated, m))
	}
	errs = append(errs, validateListingFaults(f)...)
	if len(errs) > 0 {
		return fmt.Errorf("invalid faults: %w", errors.Join(errs...))
	}
	return nil
}

// normalized clamps what Validate would refuse, for SetFaults which cannot
// return an error: a test that sets nonsense gets the nearest sane setting.
func (f Faults) normalized() Faults {
	clamp := func(r float64) float64 {
		if !(r > 0) {
			return 0
		}
		if r > 1 {
			return 1
		}
		return r
	}
	f.Latency = max(f.Latency, 0)
	f.Jitter = max(f.Jitter, 0)
	f.ThrottleRate = clamp(f.ThrottleRate)
	f.UnavailableRate = clamp(f.UnavailableRate)
	f.InternalErrorRate = clamp(f.InternalErrorRate)
	f.MalformedRate = clamp(f.MalformedRate)
	f.FailFirst = max(f.FailFirst, 0)
	if c := f.FailFirstCode; c != MalformedHTML && c != MalformedTruncated && faultErrors[c] == nil {
		f.FailFirstCode = defaultFailFirstCode
	}
	if f.Malformed != MalformedHTML && f.Malformed != MalformedTruncated {
		f.Malformed = ""
	}
	return normalizeListingFaults(f)
}

// faultOutcome is what the fault stage decided for one request.
type faultOutcome struct {
	err       *apiError // answer with this error instead of running the action
	malformed string    // rewrite the answer: MalformedHTML or MalformedTruncated
}

// SetFaults changes the faults at run time. It also restarts the FailFirst
// counting, so "fail the first N" means the first N after this call.
func (h *Handler) SetFaults(f Faults) {
	f = f.normalized()
	h.faultMu.Lock()
	defer h.faultMu.Unlock()
	h.faults = f
	clear(h.failFirstSeen)
	clear(h.listingsSeen)
}

func (h *Handler) currentFaults() Faults {
	h.faultMu.Lock()
	defer h.faultMu.Unlock()
	return h.faults
}

// applyFaults runs after authentication and before the action. It sleeps
// first (honoring cancellation), then decides failures in a fixed order:
// FailFirst, throttling, unavailable, internal error, malformed.
// key names what FailFirst counts (see pairKey and actionKey).
func (h *Handler) applyFaults(ctx context.Context, key string) faultOutcome {
	f := h.currentFaults()
	delay := f.Latency
	if f.Jitter > 0 {
		delay += time.Duration(h.rng.int63n(int64(f.Jitter) + 1))
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return faultOutcome{err: newAPIError(http.StatusServiceUnavailable, "ServiceUnavailable",
				"The request was canceled while delayed by the mock's latency fault.")}
		}
	}
	if f.FailFirst > 0 && h.failFirstHit(key, f.FailFirst) {
		code := f.FailFirstCode
		if code == MalformedHTML || code == MalformedTruncated {
			return faultOutcome{malformed: code}
		}
		return faultOutcome{err: faultErrors[code]}
	}
	if h.rng.hit(f.ThrottleRate) {
		return faultOutcome{err: faultErrors["Throttling.User"]}
	}
	if h.rng.hit(f.UnavailableRate) {
		return faultOutcome{err: faultErrors["ServiceUnavailable"]}
	}
	if h.rng.hit(f.InternalErrorRate) {
		return faultOutcome{err: faultErrors["InternalError"]}
	}
	if f.Malformed != "" && (f.MalformedRate == 0 || h.rng.hit(f.MalformedRate)) {
		return faultOutcome{malformed: f.Malformed}
	}
	return faultOutcome{}
}

// maxFailFirstPairs bounds the FailFirst bookkeeping; keys beyond it are
// not failed, which only matters for clients inventing endless user names.
const maxFailFirstPairs = 100000

// failFirstHit counts an authenticated request for the key and reports
// whether it is among the first n.
func (h *Handler) failFirstHit(key string, n int) bool {
	h.faultMu.Lock()
	defer h.faultMu.Unlock()
	seen, ok := h.failFirstSeen[key]
	if !ok && len(h.failFirstSeen) >= maxFailFirstPairs {
		return false
	}
	if seen >= n {
		return false
	}
	h.failFirstSeen[key] = seen + 1
	return true
}

// malformedReply rewrites an answer the way a broken gateway or a cut
// connection would.
func malformedReply(kind string, rep *reply) *reply {
	if kind == MalformedHTML {
		return &reply{status: http.StatusBadGateway, code: MalformedHTML, contentType: contentTypeHTML, body: []byte(badGatewayPage)}
	}
	return &reply{status: http.StatusOK, code: MalformedTruncated, contentType: rep.contentType, body: rep.body[:len(rep.body)/2]}
}

const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>Tengine</center>
</body>
</html>
`
