package flowstate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

// learn records a learned rate for key through s.
func learn(t *testing.T, s *Store, key string, rate float64) {
	t.Helper()
	err := s.Update(key, func(sk *flowcontrol.SharedKey) {
		now := time.Now()
		sk.Rate = flowcontrol.SharedRate{Limited: true, Rate: rate, Base: rate, At: now, Since: now}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sharedOf(t *testing.T, s *Store, key string) flowcontrol.SharedKey {
	t.Helper()
	var got flowcontrol.SharedKey
	if err := s.Update(key, func(sk *flowcontrol.SharedKey) { got = *sk }); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestFileHoldsNoSecretAndIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "terraform-provider-smartag")
	identity := "https://smartag.example|LTAI-key-id|role|0"
	s := Open(dir, identity)
	learn(t, s, testKey, 20)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode %o, want 700", perm)
	}
	fi, err = os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %o, want 600", perm)
	}
	b, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"LTAI", "example", "role"} {
		if strings.Contains(string(b), part) || strings.Contains(s.Path(), part) {
			t.Errorf("%q appears in the state file or its name: %s", part, b)
		}
	}
	if got := sharedOf(t, Open(dir, identity), testKey); got.Rate.Rate != 20 || !got.Rate.Limited {
		t.Errorf("another store of the identity reads %+v", got.Rate)
	}
}

// A corrupt file, another program's file and a file of another identity
// are each ignored with one notice and rewritten.
func TestUnusableFileIsIgnoredAndRewritten(t *testing.T) {
	for name, content := range map[string]string{
		"corrupt":         `{"format": "terraform-provider-smartag/flow-state", "version": 1, "keys": {`,
		"foreign":         `{"hello": "world"}`,
		"binary":          "\x00\x01\x02garbage",
		"lying rate":      `{"format":"terraform-provider-smartag/flow-state","version":1,"identity":"%ID%","keys":{"k":{"rate":{"limited":true,"rate":-5}}}}`,
		"other identity":  `{"format":"terraform-provider-smartag/flow-state","version":1,"identity":"0123","keys":{}}`,
		"a later version": `{"format":"terraform-provider-smartag/flow-state","version":2,"identity":"%ID%","keys":{}}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := Open(dir, "identity")
			content = strings.ReplaceAll(content, "%ID%", s.identity)
			if err := os.WriteFile(s.Path(), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if got := sharedOf(t, s, testKey); !got.Rate.At.IsZero() {
					t.Fatalf("read a rate from an unusable file: %+v", got.Rate)
				}
			}
			notices := s.TakeNotices()
			if len(notices) != 1 || !strings.Contains(notices[0].Message, "ignored and rewritten") {
				t.Errorf("notices: %+v, want one", notices)
			}
			b, err := os.ReadFile(s.Path())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := decode(b, s.identity); err != nil {
				t.Errorf("not rewritten: %v: %s", err, b)
			}
		})
	}
}

func TestUnreadableFileIsIgnoredAndRewritten(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads a file of mode 000")
	}
	dir := t.TempDir()
	s := Open(dir, "identity")
	learn(t, s, testKey, 20)
	s.closeFile()
	if err := os.Chmod(s.Path(), 0); err != nil {
		t.Fatal(err)
	}
	if got := sharedOf(t, s, testKey); !got.Rate.At.IsZero() {
		t.Errorf("read %+v from an unreadable file", got.Rate)
	}
	if n := s.TakeNotices(); len(n) != 1 {
		t.Errorf("notices: %+v", n)
	}
}

// A directory that cannot be used turns sharing off with one notice;
// every later update fails fast, and the governor goes on alone.
func TestUnusableDirectoryTurnsSharingOff(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"below a file": filepath.Join(file, "state")}
	if os.Geteuid() != 0 {
		ro := t.TempDir()
		if err := os.Chmod(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(ro, 0o700) })
		dirs["read-only"] = ro
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			s := Open(dir, "identity")
			called := false
			for range 3 {
				err := s.Update(testKey, func(*flowcontrol.SharedKey) { called = true })
				if !errors.Is(err, flowcontrol.ErrStoreUnavailable) {
					t.Fatalf("Update: %v, want ErrStoreUnavailable", err)
				}
			}
			if n := s.TakeNotices(); len(n) != 1 || !n[0].Warning {
				t.Errorf("notices: %+v, want one warning", n)
			}
			_ = called // a read-only directory may fail after f ran: what matters is the error
			g := flowcontrol.New(flowcontrol.Options{Store: s})
			srv := &windowServer{q: 1000}
			runReads(t.Context(), t, g, srv, testKey, 20, 4, time.Millisecond)
			if len(srv.admitted) != 20 {
				t.Errorf("%d reads admitted, want 20", len(srv.admitted))
			}
		})
	}
}

// A removed state file (a cleaned cache) is recreated, not written
// through a descriptor nobody else can see.
func TestRemovedFileIsRecreated(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir, "identity")
	learn(t, s, testKey, 20)
	if err := os.Remove(s.Path()); err != nil {
		t.Fatal(err)
	}
	learn(t, s, testKey, 12)
	if got := sharedOf(t, Open(dir, "identity"), testKey); got.Rate.Rate != 12 {
		t.Errorf("after removal another store reads %+v", got.Rate)
	}
}

// A learned rate is forgotten after RateExpiry; the others' lowest
// confirmed rate is offered for a first contact.
func TestRateExpiresAndOtherRate(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir, "identity")
	clock := time.Now()
	s.now = func() time.Time { return clock }
	err := s.Update("cn-shanghai/ListA", func(sk *flowcontrol.SharedKey) {
		sk.Rate = flowcontrol.SharedRate{Limited: true, Rate: 15, Base: 15, At: clock, Since: clock}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := sharedOf(t, s, "cn-shanghai/ListB"); got.OtherRate != 15 || !got.Rate.At.IsZero() {
		t.Errorf("a new key sees %+v, want OtherRate 15 and no rate", got)
	}
	clock = clock.Add(RateExpiry - time.Minute)
	if got := sharedOf(t, s, "cn-shanghai/ListA"); got.Rate.Rate != 15 {
		t.Errorf("before the expiry: %+v", got.Rate)
	}
	clock = clock.Add(2 * time.Minute)
	if got := sharedOf(t, s, "cn-shanghai/ListA"); !got.Rate.At.IsZero() {
		t.Errorf("after the expiry: %+v", got.Rate)
	}
	if got := sharedOf(t, s, "cn-shanghai/ListB"); got.OtherRate != 0 {
		t.Errorf("an expired rate is still offered: %v", got.OtherRate)
	}
}
