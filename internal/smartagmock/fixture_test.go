package smartagmock

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSampleFixtureRoundTrips(t *testing.T) {
	sample := SampleFixtureAt(SampleReferenceTime)
	data, err := json.Marshal(sample)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseFixture(data)
	if err != nil {
		t.Fatalf("sample does not parse: %v", err)
	}
	if !reflect.DeepEqual(got, sample) {
		t.Fatalf("round trip changed the sample:\n%+v\n%+v", got, sample)
	}
	// Each call is a fresh copy.
	a := SampleFixtureAt(SampleReferenceTime)
	a.Instances[0].Users[0].UserName = "changed"
	*a.Instances[0].Users[4].Enabled = true
	b := SampleFixtureAt(SampleReferenceTime)
	if b.Instances[0].Users[0].UserName != "alice" || b.Instances[0].Users[4].IsEnabled() {
		t.Fatal("SampleFixtureAt shares data between calls")
	}
}

func TestParseFixtureSpecExample(t *testing.T) {
	const doc = `{"credentials":[{"access_key_id":"AK1","access_key_secret":"S1","security_token":"tok","deny_ram":false}],
	 "roles":[{"role_arn":"acs:ram::123456789012:role/auditor","external_id":"ext-1"}],
	 "instances":[{"smartag_id":"sag-abc","region":"cn-shanghai",
	    "users":[{"user_name":"alice","clients":[{"client_ip":"10.0.0.1","online_time":"1559125519"}]}]}]}`
	f, err := ParseFixture([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if f.Credentials[0].SecurityToken != "tok" || f.Roles[0].ExternalID != "ext-1" || f.Instances[0].Users[0].Clients[0].OnlineTime != "1559125519" {
		t.Fatalf("%+v", f)
	}
}

func TestParseFixtureErrorsNameTheField(t *testing.T) {
	base := func() map[string]any {
		var m map[string]any
		data, _ := json.Marshal(SampleFixture())
		_ = json.Unmarshal(data, &m)
		return m
	}
	get := func(m map[string]any, path ...any) map[string]any {
		var cur any = m
		for _, p := range path {
			switch k := p.(type) {
			case string:
				obj, ok := cur.(map[string]any)
				if !ok {
					t.Fatalf("%v: not an object at %q", path, k)
				}
				cur = obj[k]
			case int:
				arr, ok := cur.([]any)
				if !ok {
					t.Fatalf("%v: not an array at %d", path, k)
				}
				cur = arr[k]
			}
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("%v: not an object", path)
		}
		return obj
	}
	cases := []struct {
		name   string
		mutate func(m map[string]any)
		want   string
	}{
		{"empty user name", func(m map[string]any) { get(m, "instances", 1, "users", 0)["user_name"] = "" }, "instances[1].users[0].user_name: must not be empty"},
		{"invalid user name", func(m map[string]any) { get(m, "instances", 0, "users", 2)["user_name"] = "-x" }, "instances[0].users[2].user_name: invalid"},
		{"duplicate user", func(m map[string]any) { get(m, "instances", 0, "users", 1)["user_name"] = "alice" }, "instances[0].users[1].user_name: duplicate"},
		{"empty secret", func(m map[string]any) { get(m, "credentials", 0)["access_key_secret"] = "" }, "credentials[0].access_key_secret: must not be empty"},
		{"secret with space", func(m map[string]any) { get(m, "credentials", 1)["access_key_secret"] = "a b" }, "credentials[1].access_key_secret:"},
		{"empty key id", func(m map[string]any) { get(m, "credentials", 2)["access_key_id"] = "" }, "credentials[2].access_key_id: must not be empty"},
		{"duplicate key id", func(m map[string]any) { get(m, "credentials", 1)["access_key_id"] = SampleAccessKeyID }, "credentials[1].access_key_id: duplicate"},
		{"no credentials", func(m map[string]any) { m["credentials"] = []any{} }, "credentials: at least one credential is required"},
		{"duplicate smartag_id", func(m map[string]any) { get(m, "instances", 1)["smartag_id"] = SampleInstanceID }, "instances[1].smartag_id: duplicate smartag_id"},
		{"bad smartag_id", func(m map[string]any) { get(m, "instances", 0)["smartag_id"] = "vpc-1" }, "instances[0].smartag_id:"},
		{"empty region", func(m map[string]any) { get(m, "instances", 0)["region"] = "" }, "instances[0].region: must not be empty"},
		{"bad region", func(m map[string]any) { get(m, "instances", 0)["region"] = "Shanghai" }, "instances[0].region:"},
		{"online_time not unix", func(m map[string]any) {
			get(m, "instances", 0, "users", 0, "clients", 1)["online_time"] = "2025-01-01T00:00:00Z"
		}, "instances[0].users[0].clients[1].online_time: must be unix seconds"},
		{"bad client ip", func(m map[string]any) { get(m, "instances", 0, "users", 3, "clients", 0)["client_ip"] = "300.1.1.1" }, "instances[0].users[3].clients[0].client_ip:"},
		{"bad role arn", func(m map[string]any) { get(m, "roles", 0)["role_arn"] = "arn:aws:iam::1:role/x" }, "roles[0].role_arn:"},
		{"bad external id", func(m map[string]any) { get(m, "roles", 0)["external_id"] = "x" }, "roles[0].external_id:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			tc.mutate(m)
			data, _ := json.Marshal(m)
			_, err := ParseFixture(data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseFixtureStrictJSON(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":      `{"credentials":[{"access_key_id":"a","access_key_secret":"b","shade":"red"}],"instances":[]}`,
		"unknown top level":  `{"credentials":[{"access_key_id":"a","access_key_secret":"b"}],"instances":[],"extra":1}`,
		"trailing data":      `{"credentials":[{"access_key_id":"a","access_key_secret":"b"}],"instances":[]} {}`,
		"number online_time": `{"credentials":[{"access_key_id":"a","access_key_secret":"b"}],"instances":[{"smartag_id":"sag-1","region":"cn-shanghai","users":[{"user_name":"u","clients":[{"client_ip":"1.1.1.1","online_time":1}]}]}]}`,
		"not JSON":           `credentials: []`,
	} {
		if _, err := ParseFixture([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseFixture([]byte(`{"credentials":[{"access_key_id":"a","access_key_secret":"b","shade":"red"}],"instances":[]}`)); err == nil || !strings.Contains(err.Error(), "shade") {
		t.Errorf("unknown field error does not name it: %v", err)
	}
}

func TestLoadFixture(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	if _, err := LoadFixture(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing file error: %v", err)
	}
	good := filepath.Join(dir, "good.json")
	data, _ := json.Marshal(SampleFixture())
	if err := os.WriteFile(good, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFixture(good); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"credentials":[],"instances":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFixture(bad); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("bad file error: %v", err)
	}
}

func TestNewHandlerValidatesAndCopiesFixture(t *testing.T) {
	fx := SampleFixture()
	fx.Instances[0].Region = ""
	if _, err := NewHandler(Options{Fixture: fx}); err == nil || !strings.Contains(err.Error(), "instances[0].region") {
		t.Fatalf("NewHandler accepted a broken fixture: %v", err)
	}
	fx = SampleFixture()
	s := startServer(t, Options{Fixture: fx})
	fx.Instances[0].Users[0].Clients[0].ClientIP = "1.2.3.4" // must not reach the server
	d := describeAs(t, s, "alice").wantOnline(t)
	if d.Users.User[0].ClientIP != "10.10.1.21" {
		t.Fatal("handler shares the caller's fixture")
	}
}

// TestOldFixtureStillServed: a fixture written before the account and
// instance fields existed parses and gets the documented defaults.
func TestOldFixtureStillServed(t *testing.T) {
	const doc = `{"credentials":[{"access_key_id":"AK1","access_key_secret":"S1"}],
	 "instances":[{"smartag_id":"sag-old","region":"cn-shanghai",
	    "users":[{"user_name":"alice","clients":[{"client_ip":"10.0.0.1","online_time":"1559125519"}]}]}]}`
	f, err := ParseFixture([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	u := f.Instances[0].Users[0]
	if !u.IsEnabled() || u.UserMail != "" || u.BandwidthKbps != 0 {
		t.Fatalf("defaults: %+v", u)
	}
	h, err := NewHandler(Options{Fixture: f})
	if err != nil {
		t.Fatal(err)
	}
	d := h.instances["sag-old"]
	created, _ := time.Parse(time.RFC3339, DefaultCreateTime)
	if d.status != "Active" || d.createMS != created.UnixMilli() || d.endMS != created.AddDate(3, 0, 0).UnixMilli() || d.accounts[0].doc.State != stateEnabled {
		t.Fatalf("defaults in the index: %+v", d)
	}
}

func TestNewFixtureFieldsValidated(t *testing.T) {
	base := func() map[string]any {
		var m map[string]any
		data, _ := json.Marshal(SampleFixtureAt(SampleReferenceTime))
		_ = json.Unmarshal(data, &m)
		return m
	}
	at := func(m map[string]any, path ...any) map[string]any {
		var cur any = m
		for _, p := range path {
			switch k := p.(type) {
			case string:
				cur = cur.(map[string]any)[k] //nolint:forcetypeassert // the sample's known shape
			case int:
				cur = cur.([]any)[k] //nolint:forcetypeassert // the sample's known shape
			}
		}
		return cur.(map[string]any) //nolint:forcetypeassert // the sample's known shape
	}
	cases := []struct {
		name   string
		mutate func(m map[string]any)
		want   string
	}{
		{"mail without at", func(m map[string]any) { at(m, "instances", 0, "users", 1)["user_mail"] = "bob.example.com" }, "instances[0].users[1].user_mail:"},
		{"mail with space", func(m map[string]any) { at(m, "instances", 0, "users", 1)["user_mail"] = "b ob@example.com" }, "instances[0].users[1].user_mail:"},
		{"negative bandwidth", func(m map[string]any) { at(m, "instances", 1, "users", 0)["bandwidth_kbps"] = -1 }, "instances[1].users[0].bandwidth_kbps:"},
		{"enabled not a bool", func(m map[string]any) { at(m, "instances", 0, "users", 0)["enabled"] = "yes" }, "enabled"},
		{"cidr not a block", func(m map[string]any) { at(m, "instances", 0)["cidr_block"] = "10.10.0.0" }, "instances[0].cidr_block:"},
		{"cidr not canonical", func(m map[string]any) { at(m, "instances", 0)["cidr_block"] = "10.10.1.0/16" }, "instances[0].cidr_block:"},
		{"status with space", func(m map[string]any) { at(m, "instances", 1)["status"] = "Not Active" }, "instances[1].status:"},
		{"name with control", func(m map[string]any) { at(m, "instances", 0)["name"] = "hq\nshanghai" }, "instances[0].name:"},
		{"description too long", func(m map[string]any) { at(m, "instances", 0)["description"] = strings.Repeat("d", 257) }, "instances[0].description:"},
		{"create_time not RFC 3339", func(m map[string]any) { at(m, "instances", 0)["create_time"] = "1740816000" }, "instances[0].create_time:"},
		{"end before create", func(m map[string]any) { at(m, "instances", 0)["end_time"] = "2024-01-01T00:00:00Z" }, "instances[0].end_time: must be after create_time"},
		{"unknown user field", func(m map[string]any) { at(m, "instances", 0, "users", 0)["mail"] = "x@y" }, `unknown field "mail"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			tc.mutate(m)
			data, _ := json.Marshal(m)
			_, err := ParseFixture(data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
