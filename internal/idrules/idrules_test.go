package idrules

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPatterns(t *testing.T) {
	cases := []struct {
		name    string
		ok, bad []string
		match   func(string) bool
	}{
		{"region", []string{"cn-shanghai", "ap-southeast-1", "cn-shanghai-finance-1"}, []string{"", "Shanghai", "cn_shanghai", "cn", "cn-", "-cn"}, RegionPattern.MatchString},
		{"smartag_id", []string{"sag-wfjgn0abcde12345", "sag-1"}, []string{"sag-", "sag-ABC", "i-123", "sag-a_b", " sag-a"}, SmartAGIDPattern.MatchString},
		{"role ARN", []string{"acs:ram::123456789012:role/auditor"}, []string{"acs:ram::x:role/a", "acs:ram::1:user/a", "acs:ram::1:role/"}, RoleARNPattern.MatchString},
		{"session name", []string{"terraform-provider-smartag", "a.b@c_d"}, []string{"a", "has space", "x/y"}, SessionNamePattern.MatchString},
		{"user name", []string{"alice", "a", "bob.smith@example.com", "_svc-01", strings.Repeat("u", MaxUserNameLength)},
			[]string{"", "a b/zoë", "zoë", "a b", "x/y", "-dash", ".dot", "tab\t", "alice\n", strings.Repeat("u", MaxUserNameLength+1)},
			UserNamePattern.MatchString},
	}
	for _, tc := range cases {
		for _, s := range tc.ok {
			if !tc.match(s) {
				t.Errorf("%s %q refused", tc.name, s)
			}
		}
		for _, s := range tc.bad {
			if tc.match(s) {
				t.Errorf("%s %q accepted", tc.name, s)
			}
		}
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("alice"); got != `"alice"` {
		t.Errorf("short: %s", got)
	}
	long := strings.Repeat("é", 1<<19) // 1 MiB
	got := Quote(long)
	if len(got) > 2*MaxEcho || !strings.Contains(got, "1048576 bytes, cut") || !strings.HasPrefix(got, `"éé`) {
		t.Errorf("long: %d bytes: %.200s", len(got), got)
	}
	if !utf8.ValidString(got) {
		t.Errorf("cut inside a character: %q", got)
	}
}
