package smartagmock

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"
)

// GeneratedInstanceID is the instance Options.GenerateUsers adds, in
// SampleRegion.
const GeneratedInstanceID = "sag-generated0bench01"

const (
	// DefaultOnlineEvery is Options.OnlineEvery when left at zero.
	DefaultOnlineEvery = 10
	// MaxGeneratedUsers bounds Options.GenerateUsers (memory, start-up time).
	MaxGeneratedUsers = 1_000_000
	// generatedDisabledEvery makes a few generated accounts disabled.
	generatedDisabledEvery = 97
)

// GenerateInstance builds a large instance for benchmarks, the same for the
// same arguments:
//   - accounts user00001 … (in that order), mail userNNNNN@example.com,
//     bandwidth 1000-4000 kbit/s;
//   - every 97th account is disabled;
//   - every onlineEvery-th account (none if onlineEvery <= 0) has exactly one
//     online client, with a distinct address in 10.0.0.0/8 and an online time
//     between 1 minute and 1 day before now.
func GenerateInstance(smartagID, region string, users, onlineEvery int, now time.Time) Instance {
	in := Instance{
		SmartAGID:   smartagID,
		Region:      region,
		Name:        "generated-bench",
		Description: fmt.Sprintf("generated: %d accounts, one online client every %d", users, max(onlineEvery, 0)),
		Status:      defaultStatus,
		CidrBlock:   "10.0.0.0/8",
		Users:       make([]User, 0, max(users, 0)),
	}
	disabled := false
	for i := 1; i <= users; i++ {
		name := fmt.Sprintf("user%05d", i)
		u := User{UserName: name, UserMail: name + "@example.com", BandwidthKbps: 1000 * (1 + i%4), Clients: []Client{}}
		if i%generatedDisabledEvery == 0 {
			u.Enabled = &disabled
		}
		if onlineEvery > 0 && i%onlineEvery == 0 {
			ago := int64(60 + (i*7919)%86340) // spread over a day, never in the future
			u.Clients = []Client{{ClientIP: generatedIP(i).String(), OnlineTime: strconv.FormatInt(now.Unix()-ago, 10)}}
		}
		in.Users = append(in.Users, u)
	}
	return in
}

// generatedIP maps i (>= 1, < 2^24) to 10.x.y.z, one address per account.
func generatedIP(i int) netip.Addr {
	//nolint:gosec // G115: i <= MaxGeneratedUsers < 2^24; keeping the low bytes is the point
	return netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
}
