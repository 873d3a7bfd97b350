package flowcontrol

import (
	"errors"
	"time"
)

// Store is state that governors in several processes share because they
// spend one quota (the same credentials against the same endpoint): what
// each key has learned and the recent grants of every process. With a
// Store, K processes pace themselves as one client would; see doc.go.
type Store interface {
	// Update calls f with the shared record of key, under a lock that
	// excludes every other process, then saves what f changed. It returns
	// an error, without calling f or after a failed save, when the shared
	// state cannot be used this time: the governor then goes on alone.
	Update(key string, f func(*SharedKey)) error
}

// ErrStoreUnavailable is what a Store returns when it cannot be used (for
// example a read-only directory); the governor then goes on alone.
var ErrStoreUnavailable = errors.New("shared flow-control state unavailable")

// SharedKey is what every process knows of one key.
type SharedKey struct {
	// Rate is the rate learned by whichever process learned last.
	Rate SharedRate
	// Grants are the recent grants of every process, oldest first as
	// appended; the governor prunes those older than a few seconds.
	Grants []SharedGrant
	// Seen is when each process (an owner ID) last used the key.
	Seen map[string]time.Time
	// OtherRate, read only, is the lowest rate any other key of the same
	// store has learned (0: none): an action met for the first time after
	// another of the account was throttled starts cautiously at it.
	OtherRate float64
}

// SharedRate is a learned rate as processes share it.
type SharedRate struct {
	// Limited: a throttle was believed and Rate applies; false with a
	// non-zero At means "no limit" was learned.
	Limited bool
	Rate    float64 // requests per second
	Base    float64 // the last measured limit, origin of the probe
	// Tentative: taken from another key, not yet confirmed by a throttle
	// of this one; it doubles every second until a throttle.
	Tentative bool
	// At is when it was learned; zero means nothing was.
	At time.Time
	// Since is the origin of the upward probe (the last decrease).
	Since time.Time
}

// SharedGrant is one request a process was allowed to send.
type SharedGrant struct {
	Owner   string
	At      time.Time
	Refused bool // the server refused it, so it does not count
}
