package smartagmock

import (
	"strconv"
	"time"
)

// The built-in sample's well-known values, so tests and scripts can use the
// mock without writing a fixture. They are fake and only open this mock.
//
//nolint:gosec // G101: fake credentials of a test double
const (
	SampleAccessKeyID     = "LTAIMockSampleKeyId01"
	SampleAccessKeySecret = "MockSampleSecret0000000000000001"
	SampleInstanceID      = "sag-sample0shanghai01"
	SampleRegion          = "cn-shanghai"
	SampleRoleARN         = "acs:ram::1234567890123456:role/smartag-auditor"

	// SampleStsAccessKeyID/Secret/Token form a fixed STS-style credential
	// that must be used together with its SecurityToken.
	SampleStsAccessKeyID     = "LTAIMockStsKeyId0001"
	SampleStsAccessKeySecret = "MockStsSecret000000000000000001"
	SampleStsSecurityToken   = "MockSampleSecurityToken0001"

	// SampleDeniedAccessKeyID/Secret authenticate but lack the RAM
	// permission, so Smartag actions answer 403 Forbidden.RAM.
	SampleDeniedAccessKeyID     = "LTAIMockDeniedKey001"
	SampleDeniedAccessKeySecret = "MockDeniedSecret0000000000000001"

	// SampleHongKongInstanceID is the sample's second instance, in
	// SampleHongKongRegion.
	SampleHongKongInstanceID = "sag-sample0hongkong1"
	SampleHongKongRegion     = "cn-hongkong"

	// SampleDisabledUser is the sample's disabled account of
	// SampleInstanceID; it has one live session all the same.
	SampleDisabledUser = "frank"
)

// SampleReferenceTime is the instant at which SampleFixtureAt gives the
// sample's historical online times (alice 1764300000, …): 2025-11-28T16:00:00Z.
// Tests that assert instants pin the fixture to it; the handler's clock
// stays real because it also checks request Timestamps.
var SampleReferenceTime = time.Unix(1764345600, 0).UTC()

// SampleFixture returns a fresh copy of the built-in sample data, its
// clients online relative to now (the moment the mock starts).
func SampleFixture() *Fixture { return SampleFixtureAt(time.Now()) }

// sampleSession is one online client of the sample, ago seconds before the
// reference instant (1764345600 - the historical OnlineTime).
type sampleSession struct {
	ip  string
	ago int64
}

// SampleFixtureAt returns a fresh copy of the sample data whose clients came
// online at fixed offsets before now. SampleFixtureAt(SampleReferenceTime)
// reproduces the historical values exactly.
func SampleFixtureAt(now time.Time) *Fixture {
	online := func(sessions ...sampleSession) []Client {
		out := make([]Client, len(sessions))
		for i, s := range sessions {
			out[i] = Client{ClientIP: s.ip, OnlineTime: strconv.FormatInt(now.Unix()-s.ago, 10)}
		}
		return out
	}
	disabled := false
	return &Fixture{
		Credentials: []Credential{
			{AccessKeyID: SampleAccessKeyID, AccessKeySecret: SampleAccessKeySecret},
			{AccessKeyID: SampleStsAccessKeyID, AccessKeySecret: SampleStsAccessKeySecret, SecurityToken: SampleStsSecurityToken},
			{AccessKeyID: SampleDeniedAccessKeyID, AccessKeySecret: SampleDeniedAccessKeySecret, DenyRAM: true},
		},
		Roles: []Role{{RoleARN: SampleRoleARN}},
		Instances: []Instance{
			{
				SmartAGID:   SampleInstanceID,
				Region:      SampleRegion,
				Name:        "hq-shanghai",
				Description: "Head office remote access",
				Status:      "Active",
				CidrBlock:   "10.10.0.0/16",
				CreateTime:  "2025-03-01T08:00:00Z",
				EndTime:     "2028-03-01T08:00:00Z",
				Users: []User{
					{UserName: "alice", UserMail: "alice@example.com", BandwidthKbps: 2000, Clients: online(
						sampleSession{"10.10.1.21", 45600},
						sampleSession{"10.10.1.22", 35600},
						sampleSession{"172.16.5.9", 145600},
					)},
					{UserName: "bob", UserMail: "bob@example.com", BandwidthKbps: 1000, Clients: online(sampleSession{"10.10.2.7", 25600})},
					{UserName: "carol", UserMail: "carol@example.com", BandwidthKbps: 500, Clients: online()},
					{UserName: "dave", UserMail: "dave@example.com", BandwidthKbps: 2000, Clients: online(
						sampleSession{"192.168.100.5", 95600},
						sampleSession{"10.10.3.4", 15600},
					)},
					// Disabled, yet still connected: disabling an account does
					// not end its sessions.
					{UserName: SampleDisabledUser, UserMail: "frank@example.com", Enabled: &disabled, BandwidthKbps: 1000,
						Clients: online(sampleSession{"10.10.4.2", 10800})},
				},
			},
			{
				SmartAGID:   SampleHongKongInstanceID,
				Region:      SampleHongKongRegion,
				Name:        "branch-hongkong",
				Description: "Hong Kong branch",
				Status:      "Active",
				CidrBlock:   "10.20.0.0/16",
				CreateTime:  "2025-06-15T02:30:00Z",
				Users: []User{
					{UserName: "erin", UserMail: "erin@example.com", BandwidthKbps: 1500, Clients: online(sampleSession{"10.20.0.8", 5600})},
				},
			},
		},
	}
}
