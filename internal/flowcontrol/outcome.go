package flowcontrol

// Outcome is what the server answered to a granted request.
type Outcome int

const (
	// Success: the server processed the request, whatever it answered
	// (an API error such as an unknown ID included): it counted it.
	Success Outcome = iota
	// Throttled: the server refused the request for flow control
	// (Throttling, Throttling.User, Throttling.Api).
	Throttled
	// Failed: no usable answer (a transport error, a timeout, a 5xx, the
	// caller's context ended). It carries no rate signal.
	Failed
)

func (o Outcome) String() string {
	switch o {
	case Success:
		return "success"
	case Throttled:
		return "throttled"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Reasons given to Options.OnRateChange.
const (
	// ReasonThrottled: a throttle set the rate to what the server had
	// admitted of ours in the second before it.
	ReasonThrottled = "throttled"
	// ReasonRefined: requests counted by that measure as maybe admitted
	// were refused after all; the measure is lower.
	ReasonRefined = "refined"
	// ReasonContradicted: a request was admitted while the second that
	// refused the other still stood, so that refusal was not about our
	// rate: the decrease is undone.
	ReasonContradicted = "throttle contradicted"
	// ReasonProbing: no throttle for a while, the rate grows by one more
	// request per second.
	ReasonProbing = "probing"
	// ReasonUnlimited: probing grew past anything the governor tracks; the
	// key is unlimited again until the next throttle.
	ReasonUnlimited = "no limit in sight"
	// ReasonCautious: another action of the account was throttled, so this
	// one starts at that action's rate (doubling every second until a
	// throttle of its own) instead of sending freely.
	ReasonCautious = "another action was throttled"
)
