package flowstate

import (
	"sync"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

const testKey = "cn-shanghai/DescribeUserOnlineClients"

// Several governors of one identity, each with its own Store on one
// directory (as separate processes would be), against one quota: together
// they learn it and stay under it, and the file holds what they learned.
func TestGovernorsShareOneQuota(t *testing.T) {
	dir := t.TempDir()
	srv := &windowServer{q: 20}
	const runs, reads = 3, 40
	govs := make([]*flowcontrol.Governor, runs)
	for i := range govs {
		govs[i] = flowcontrol.New(flowcontrol.Options{Store: Open(dir, "identity-a")})
	}
	var wg sync.WaitGroup
	for _, g := range govs {
		wg.Go(func() { runReads(t.Context(), t, g, srv, reads, 10, 30*time.Millisecond) })
	}
	wg.Wait()
	admitted := len(srv.admitted)
	if admitted != runs*reads {
		t.Fatalf("%d admitted, want %d", admitted, runs*reads)
	}
	// One client alone pays about one round of in-flight requests when it
	// first meets the limit; four processes splitting the in-flight bound
	// pay about as much, not four times as much.
	if srv.refused > 3*flowcontrol.DefaultMaxInFlight {
		t.Errorf("%d refused of %d admitted: the runs did not pace themselves as one", srv.refused, admitted)
	}
	if srv.maxInWindow() > srv.q {
		t.Errorf("%d admitted in one second, limit %d", srv.maxInWindow(), srv.q)
	}
	st := readState(t, Open(dir, "identity-a"))
	k := st.Keys[testKey]
	if k == nil || k.Rate == nil || !k.Rate.Limited {
		t.Fatalf("no learned rate on file: %+v", k)
	}
	// What the last of them learned: the quota's rate, not one run's
	// share of it, give or take the probing above it and the measures
	// skewed by a loaded machine.
	if r, q := k.Rate.Rate, float64(srv.q); r < q/4 || r > 2*q {
		t.Fatalf("learned rate on file %v, want about %d", r, srv.q)
	}
}

// A new governor starts at the rate the last one left on file, so that
// its first burst is not refused.
func TestLearnedRateOutlivesTheRun(t *testing.T) {
	dir := t.TempDir()
	srv := &windowServer{q: 20}
	first := flowcontrol.New(flowcontrol.Options{Store: Open(dir, "identity-a")})
	runReads(t.Context(), t, first, srv, 60, 10, 30*time.Millisecond)
	if srv.refused == 0 {
		t.Fatal("the first run met no limit: nothing to learn")
	}
	time.Sleep(1100 * time.Millisecond) // the server's window is empty again

	srv2 := &windowServer{q: 20}
	var joined []float64
	second := flowcontrol.New(flowcontrol.Options{Store: Open(dir, "identity-a"), OnJoin: func(_ string, _ int, rate float64) {
		joined = append(joined, rate)
	}})
	runReads(t.Context(), t, second, srv2, 40, 10, 30*time.Millisecond)
	if srv2.refused > 2 {
		t.Errorf("the second run was refused %d times: it did not start at the learned rate", srv2.refused)
	}
	if len(joined) != 1 || joined[0] < 10 {
		t.Errorf("joins reported: %v", joined)
	}
	// Another identity learns nothing from it.
	srv3 := &windowServer{q: 20}
	other := flowcontrol.New(flowcontrol.Options{Store: Open(dir, "identity-b")})
	runReads(t.Context(), t, other, srv3, 60, 10, 30*time.Millisecond)
	if srv3.refused == 0 {
		t.Error("another identity started at identity-a's rate")
	}
}

func readState(t *testing.T, s *Store) *fileState {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load()
}
