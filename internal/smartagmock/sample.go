package smartagmock

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

	// SampleHongKongInstanceID is the sample's second instance (cn-hongkong).
	SampleHongKongInstanceID = "sag-sample0hongkong1"
)

// SampleFixture returns a fresh copy of the built-in sample data.
func SampleFixture() *Fixture {
	return &Fixture{
		Credentials: []Credential{
			{AccessKeyID: SampleAccessKeyID, AccessKeySecret: SampleAccessKeySecret},
			{AccessKeyID: SampleStsAccessKeyID, AccessKeySecret: SampleStsAccessKeySecret, SecurityToken: SampleStsSecurityToken},
			{AccessKeyID: SampleDeniedAccessKeyID, AccessKeySecret: SampleDeniedAccessKeySecret, DenyRAM: true},
		},
		Roles: []Role{{RoleARN: SampleRoleARN}},
		Instances: []Instance{
			{
				SmartAGID: SampleInstanceID,
				Region:    SampleRegion,
				Users: []User{
					{UserName: "alice", Clients: []Client{
						{ClientIP: "10.10.1.21", OnlineTime: "1764300000"},
						{ClientIP: "10.10.1.22", OnlineTime: "1764310000"},
						{ClientIP: "172.16.5.9", OnlineTime: "1764200000"},
					}},
					{UserName: "bob", Clients: []Client{{ClientIP: "10.10.2.7", OnlineTime: "1764320000"}}},
					{UserName: "carol", Clients: []Client{}},
					{UserName: "dave", Clients: []Client{
						{ClientIP: "192.168.100.5", OnlineTime: "1764250000"},
						{ClientIP: "10.10.3.4", OnlineTime: "1764330000"},
					}},
				},
			},
			{
				SmartAGID: SampleHongKongInstanceID,
				Region:    "cn-hongkong",
				Users: []User{
					{UserName: "erin", Clients: []Client{{ClientIP: "10.20.0.8", OnlineTime: "1764340000"}}},
				},
			},
		},
	}
}
