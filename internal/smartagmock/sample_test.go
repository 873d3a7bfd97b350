package smartagmock

import (
	"strconv"
	"testing"
	"time"
)

// historical are the sample's online times before they became relative;
// SampleFixtureAt(SampleReferenceTime) must keep giving exactly these.
var historical = map[string][]string{
	"alice": {"1764300000", "1764310000", "1764200000"},
	"bob":   {"1764320000"},
	"carol": {},
	"dave":  {"1764250000", "1764330000"},
	"frank": {"1764334800"},
	"erin":  {"1764340000"},
}

func onlineTimes(f *Fixture) map[string][]string {
	out := map[string][]string{}
	for _, in := range f.Instances {
		for _, u := range in.Users {
			out[u.UserName] = []string{}
			for _, c := range u.Clients {
				out[u.UserName] = append(out[u.UserName], c.OnlineTime)
			}
		}
	}
	return out
}

func TestSampleAtReferenceTimeIsHistorical(t *testing.T) {
	if SampleReferenceTime.Unix() != 1764345600 || SampleReferenceTime.Format(time.RFC3339) != "2025-11-28T16:00:00Z" {
		t.Fatalf("SampleReferenceTime = %v", SampleReferenceTime)
	}
	got := onlineTimes(SampleFixtureAt(SampleReferenceTime))
	if len(got) != len(historical) {
		t.Fatalf("users %v", got)
	}
	for user, want := range historical {
		if len(got[user]) != len(want) {
			t.Fatalf("%s: %v, want %v", user, got[user], want)
		}
		for i := range want {
			if got[user][i] != want[i] {
				t.Fatalf("%s: %v, want %v", user, got[user], want)
			}
		}
	}
}

func TestSampleMovesWithNow(t *testing.T) {
	const shift = 86400*400 + 17
	got := onlineTimes(SampleFixtureAt(SampleReferenceTime.Add(shift * time.Second)))
	for user, want := range historical {
		for i := range want {
			w, _ := strconv.ParseInt(want[i], 10, 64)
			if got[user][i] != strconv.FormatInt(w+shift, 10) {
				t.Fatalf("%s[%d] = %s, want %d", user, i, got[user][i], w+shift)
			}
		}
	}
}

// Without a fixture, the handler serves the sample as of its start.
func TestDefaultSampleIsRelativeToStart(t *testing.T) {
	before := time.Now().Unix()
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	after := time.Now().Unix()
	d := describeAs(t, s, "bob").wantOnline(t)
	at, err := strconv.ParseInt(d.Users.User[0].OnlineTime, 10, 64)
	const bobAgo = 1764345600 - 1764320000
	if err != nil || at < before-bobAgo || at > after-bobAgo {
		t.Fatalf("bob online at %s, want between %d and %d", d.Users.User[0].OnlineTime, before-bobAgo, after-bobAgo)
	}
}

func TestSampleMetadata(t *testing.T) {
	f := SampleFixtureAt(SampleReferenceTime)
	sh, hk := f.Instances[0], f.Instances[1]
	if sh.Name != "hq-shanghai" || sh.CidrBlock != "10.10.0.0/16" || hk.Name != "branch-hongkong" || hk.Region != SampleHongKongRegion {
		t.Fatalf("instances: %+v / %+v", sh, hk)
	}
	for _, in := range f.Instances {
		for _, u := range in.Users {
			if u.UserMail != u.UserName+"@example.com" || u.BandwidthKbps <= 0 {
				t.Errorf("%s: mail %q bandwidth %d", u.UserName, u.UserMail, u.BandwidthKbps)
			}
			if u.IsEnabled() == (u.UserName == SampleDisabledUser) {
				t.Errorf("%s: enabled=%v", u.UserName, u.IsEnabled())
			}
		}
	}
}
