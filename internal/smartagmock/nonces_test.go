package smartagmock

import (
	"strconv"
	"testing"
	"time"
)

func TestNonceStoreWindowAndPruning(t *testing.T) {
	s := newNonceStore()
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if !s.use("a", t0, t0) || s.use("a", t0, t0.Add(time.Minute)) {
		t.Fatal("replay inside the window not detected")
	}
	// A future timestamp keeps the nonce until ts + window.
	if !s.use("b", t0.Add(10*time.Minute), t0) {
		t.Fatal("fresh nonce refused")
	}
	later := t0.Add(nonceWindow + time.Second)
	if !s.use("a", later, later) {
		t.Fatal("nonce not forgotten after the window")
	}
	if s.use("b", later, later) {
		t.Fatal("nonce with a future timestamp forgotten too early")
	}
	much := t0.Add(3 * nonceWindow)
	s.use("c", much, much)
	if n := s.len(); n != 1 {
		t.Fatalf("store holds %d nonces after the window, want 1", n)
	}
}

func TestNonceStoreBounded(t *testing.T) {
	s := newNonceStore()
	now := time.Now()
	for i := 0; i < maxNonces+100; i++ {
		s.use(strconv.Itoa(i), now, now)
	}
	if n := s.len(); n > maxNonces+1 {
		t.Fatalf("store holds %d nonces, bound is %d", n, maxNonces)
	}
}
