package sagclient

import (
	"strings"
	"testing"
)

func TestSubject_String(t *testing.T) {
	for want, s := range map[string]Subject{
		`account "alice" of sag-abc`:                    {SmartAGID: "sag-abc", UserName: "alice"},
		`3 accounts from "a" to "c", page 2 of sag-abc`: {SmartAGID: "sag-abc", UserNames: []string{"a", "b", "c"}, Page: 2},
		"sag-abc": {SmartAGID: "sag-abc"},
	} {
		if got := s.String(); got != want {
			t.Errorf("%+v: %q, want %q", s, got, want)
		}
	}
}

// A megabyte of account name is quoted cut, in messages and in log fields.
func TestSubject_longValuesAreCut(t *testing.T) {
	long := strings.Repeat("u", 1<<20)
	s := Subject{SmartAGID: long, UserName: long}
	if got := s.String(); len(got) > 400 || !strings.Contains(got, "1048576 bytes, cut") {
		t.Errorf("%d bytes: %.300s", len(got), got)
	}
	fields := map[string]any{}
	s.addTo(fields)
	for k, v := range fields {
		if text, _ := v.(string); len(text) > 200 {
			t.Errorf("log field %s is %d bytes", k, len(text))
		}
	}
}
