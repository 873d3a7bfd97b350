package smartagmock

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recorderFootprint is the bytes the handler keeps in its counter keys,
// FailFirst keys and recorded parameters.
func recorderFootprint(h *Handler) int {
	n := 0
	h.rec.mu.Lock()
	for k := range h.rec.actions {
		n += len(k)
	}
	for k := range h.rec.pairs {
		n += len(k)
	}
	for _, rr := range h.rec.ring {
		for k, v := range rr.Params {
			n += len(k) + len(v)
		}
	}
	h.rec.mu.Unlock()
	h.faultMu.Lock()
	for k := range h.failFirstSeen {
		n += len(k)
	}
	h.faultMu.Unlock()
	return n
}

// serveForm sends params as a form body straight to the handler.
func serveForm(h *Handler, params map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(encodeParams(params, true)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// TestHugeParametersDoNotGrowTheMock: before the fix every unauthenticated
// request with a distinct 256 KiB SmartAGId left that much in the pair
// counter, so memory grew with garbage.
func TestHugeParametersDoNotGrowTheMock(t *testing.T) {
	h, err := NewHandler(Options{Fixture: SampleFixtureAt(SampleReferenceTime), Faults: Faults{FailFirst: 1}})
	if err != nil {
		t.Fatal(err)
	}
	const requests, size = 30, 256 << 10
	huge := func(i int) string { return fmt.Sprintf("sag-%d-%s", i, strings.Repeat("x", size)) }
	for i := 0; i < requests; i++ {
		p := describeParams(t, huge(i), strings.Repeat("u", size))
		p["Bogus"+strings.Repeat("k", 1000)] = strings.Repeat("v", size)
		p["Signature"] = "not-a-signature"
		if rec := serveForm(h, p); rec.Code != http.StatusBadRequest {
			t.Fatalf("unsigned request answered %d", rec.Code)
		}
	}
	h.rec.mu.Lock()
	pairs := len(h.rec.pairs)
	h.rec.mu.Unlock()
	if pairs != 0 {
		t.Fatalf("%d pairs counted for unauthenticated requests", pairs)
	}
	if got, limit := recorderFootprint(h), requests*(maxRecordedBytes+1024); got > limit {
		t.Fatalf("unauthenticated requests left %d bytes, want at most %d", got, limit)
	}

	// Authenticated ones are counted, under bounded keys, and still found.
	before := recorderFootprint(h)
	for i := 0; i < requests; i++ {
		p := describeParams(t, huge(i), "alice")
		p["Signature"] = testSign(http.MethodPost, p, SampleAccessKeySecret)
		if rec := serveForm(h, p); rec.Code != http.StatusServiceUnavailable { // the FailFirst fault, then
			t.Fatalf("signed request %d answered %d: %s", i, rec.Code, rec.Body)
		}
	}
	if got := h.CountFor(huge(7), "alice"); got != 1 {
		t.Fatalf("CountFor(huge, alice) = %d, want 1", got)
	}
	if grown, limit := recorderFootprint(h)-before, requests*(maxRecordedBytes+3*maxKeyBytes); grown > limit {
		t.Fatalf("authenticated huge requests left %d bytes, want at most %d", grown, limit)
	}
}

func TestCounterKeysAreDistinctAndBounded(t *testing.T) {
	long := strings.Repeat("a", 1000)
	keys := []string{
		pairKey("a", "bc"), pairKey("ab", "c"), pairKey(long, "x"), pairKey(long+"x", ""),
		actionKey("a", "bc"), pairKey("a\x00b", "c"), pairKey("a", "b\x00c"),
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Fatalf("key %q twice", k)
		}
		seen[k] = true
		if len(k) > maxKeyBytes+1 {
			t.Fatalf("key of %d bytes", len(k))
		}
	}
	if again := pairKey(strings.Repeat("a", 1000), "x"); again != keys[2] {
		t.Fatal("hashed key not stable")
	}
}

func TestRecordedParamsBudget(t *testing.T) {
	params := map[string]string{"Action": "DescribeUserOnlineClients"}
	for i := 0; i < 90; i++ {
		params[fmt.Sprintf("P%02d", i)] = strings.Repeat("v", 1000)
	}
	got := recordParams(params)
	n := 0
	for k, v := range got {
		n += len(k) + len(v)
	}
	if n > maxRecordedBytes+len("…") || len(got) < 10 {
		t.Fatalf("recorded %d params, %d bytes", len(got), n)
	}
	small := recordParams(map[string]string{"A": "1", "Signature": "s", "SecurityToken": "t"})
	if len(small) != 2 || small["A"] != "1" || small["SecurityToken"] != redacted {
		t.Fatalf("small request recorded as %v", small)
	}
}
