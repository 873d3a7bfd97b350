package bench

import (
	"errors"
	"fmt"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// Phase is one phase of the instance-wide audit: an action and the
// requests it needs.
type Phase struct {
	Action   string
	Requests int
	// First is how many requests must be answered before the others can
	// be sent (the first page gives the total).
	First int
}

// AuditPhases are the requests an audit of users accounts, online of them
// with a session, needs at the fewest, in the order it sends them: the
// pages (page 1 alone, for TotalCount), the batches of names, one request
// per online account. Each phase starts when the one before has ended.
func AuditPhases(users, online int) []Phase {
	return []Phase{
		{Action: sagclient.ActionDescribeSmartAccessGatewayClientUsers, Requests: max(ceilDiv(users, sagclient.ClientUsersPageSize), 1), First: 1},
		{Action: sagclient.ActionDescribeUserOnlineClientStatistics, Requests: ceilDiv(users, sagclient.StatisticsBatchSize)},
		{Action: sagclient.ActionDescribeUserOnlineClients, Requests: online},
	}
}

// PhaseRequests is the sum of the phases' requests.
func PhaseRequests(phases []Phase) int {
	n := 0
	for _, p := range phases {
		n += p.Requests
	}
	return n
}

// GeneratedOnline is how many of the mock's generated accounts (numbered
// 1 to users) have a session: every k-th.
func GeneratedOnline(users, k int) int {
	if k <= 0 || users <= 0 {
		return 0
	}
	return users / k
}

func ceilDiv(a, b int) int {
	if a <= 0 {
		return 0
	}
	return (a + b - 1) / b
}

// IdealAtRate is n/q: how long a server admitting q requests per second
// takes to admit n of them.
func IdealAtRate(n int, q float64) time.Duration {
	if q <= 0 {
		return 0
	}
	return time.Duration(float64(n) / q * float64(time.Second))
}

// IdealSequential is Σ nᵢ/q over the phases. Each action has its own limit
// of q, but the phases run one after the other, so at any moment only one
// limit is at work: the limits do not add up. (Were the phases overlapped,
// the largest phase alone, max nᵢ/q, would bound the time.)
func IdealSequential(phases []Phase, q float64) time.Duration {
	var d time.Duration
	for _, p := range phases {
		d += IdealAtRate(p.Requests, q)
	}
	return d
}

// RollingWindowBound is the least time a server admitting q requests per
// rolling second can take for the phases, latency aside: each phase's
// first q can go at once (its action's window is empty), then q per
// second, so a phase of n takes (⌈n/q⌉ − 1) s. It is below IdealSequential
// by up to 1 s per phase.
func RollingWindowBound(phases []Phase, q int) time.Duration {
	if q <= 0 {
		return 0
	}
	var d time.Duration
	for _, p := range phases {
		if p.Requests > 0 {
			d += time.Duration(ceilDiv(p.Requests, q)-1) * time.Second
		}
	}
	return d
}

// IdealFanOut is the read phase of the phases without a rate limit: rounds
// of `limit` requests of latency each, a phase's First requests in rounds
// of their own.
func IdealFanOut(phases []Phase, limit int, latency time.Duration) time.Duration {
	if limit <= 0 {
		return 0
	}
	rounds := 0
	for _, p := range phases {
		first := min(p.First, p.Requests)
		rounds += ceilDiv(first, limit) + ceilDiv(p.Requests-first, limit)
	}
	return time.Duration(rounds) * latency
}

// ErrNothingAdmitted is returned by RefusalShare when no request was
// admitted: a share of nothing.
var ErrNothingAdmitted = errors.New("no request was admitted")

// RefusalShare is refused/admitted, the measure of how often the
// provider knocked on a full server.
func RefusalShare(refused, admitted int) (float64, error) {
	if admitted <= 0 {
		return 0, ErrNothingAdmitted
	}
	return float64(refused) / float64(admitted), nil
}

// ErrNoIdeal is returned when the ideal to divide by is not positive.
var ErrNoIdeal = errors.New("the ideal is not positive")

// Ratio is measured/ideal.
func Ratio(measured, ideal time.Duration) (float64, error) {
	if ideal <= 0 {
		return 0, ErrNoIdeal
	}
	return float64(measured) / float64(ideal), nil
}

// Slowdown is (wall − unlimited)/ideal: what a rate limit added to a plan,
// in units of the time the limit itself imposes (n/Q). 1 is a provider that
// sends at exactly the limit; the targets allow 1.2.
func Slowdown(wall, unlimited, ideal time.Duration) (float64, error) {
	return Ratio(wall-unlimited, ideal)
}

// Change is new/old − 1: +0.05 is 5% more.
func Change(newer, older time.Duration) (float64, error) {
	if older <= 0 {
		return 0, fmt.Errorf("the baseline %v is not positive", older)
	}
	return float64(newer)/float64(older) - 1, nil
}

// fmtPercent prints a share such as 0.065 as "6.5%".
func fmtPercent(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// fmtSigned prints a change such as 0.05 as "+5.0%".
func fmtSigned(x float64) string {
	return fmt.Sprintf("%+.1f%%", 100*x)
}
