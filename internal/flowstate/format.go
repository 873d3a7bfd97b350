package flowstate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

// The file's format: a name and version, so that another program's file (or
// a later version's) is recognised as foreign instead of misread.
const (
	formatName    = "terraform-provider-smartag/flow-state"
	formatVersion = 1
	// maxFileBytes: a larger file is not ours (a few keys of a few dozen
	// grants each are a few kilobytes).
	maxFileBytes = 1 << 20
	// maxKeys bounds what one file remembers (regions × actions in use).
	maxKeys = 256
	// maxRate bounds a plausible learned rate.
	maxRate = 1e6
	// grantMemory: grants older than this are dropped whatever the
	// governor does (it keeps fewer).
	grantMemory = 10 * time.Second
)

type fileState struct {
	Format   string              `json:"format"`
	Version  int                 `json:"version"`
	Identity string              `json:"identity"`
	Keys     map[string]*fileKey `json:"keys"`
}

type fileKey struct {
	Rate   *fileRate        `json:"rate,omitempty"`
	Grants []fileGrant      `json:"grants,omitempty"`
	Seen   map[string]int64 `json:"seen,omitempty"` // owner → unix ns
}

type fileRate struct {
	Limited   bool    `json:"limited"`
	Rate      float64 `json:"rate"`
	Base      float64 `json:"base"`
	Tentative bool    `json:"tentative,omitempty"`
	At        int64   `json:"at"`    // unix ns
	Since     int64   `json:"since"` // unix ns
}

type fileGrant struct {
	Owner   string `json:"o"`
	At      int64  `json:"t"` // unix ns
	Refused bool   `json:"r,omitempty"`
}

var errForeign = errors.New("not this provider's flow state for this identity")

// decode parses a file's content, refusing anything that is not a file
// this version wrote for identity.
func decode(b []byte, identity string) (*fileState, error) {
	if len(b) > maxFileBytes {
		return nil, fmt.Errorf("%d bytes: %w", len(b), errForeign)
	}
	var st fileState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, err
	}
	if st.Format != formatName || st.Version != formatVersion || st.Identity != identity {
		return nil, errForeign
	}
	if len(st.Keys) > maxKeys {
		return nil, fmt.Errorf("%d keys: %w", len(st.Keys), errForeign)
	}
	for name, k := range st.Keys {
		if k == nil {
			return nil, fmt.Errorf("key %q: empty record", name)
		}
		if r := k.Rate; r != nil && !(plausible(r.Rate) && plausible(r.Base)) {
			return nil, fmt.Errorf("key %q: rate %v, base %v: not a rate", name, r.Rate, r.Base)
		}
	}
	return &st, nil
}

func plausible(r float64) bool { return r >= 0 && r <= maxRate && !math.IsNaN(r) }

func newState(identity string) *fileState {
	return &fileState{Format: formatName, Version: formatVersion, Identity: identity, Keys: map[string]*fileKey{}}
}

// shared is key's record as the governor sees it; an expired rate (or one
// from the future: a clock set back) is forgotten.
func (st *fileState) shared(key string, now time.Time) *flowcontrol.SharedKey {
	sk := &flowcontrol.SharedKey{Seen: map[string]time.Time{}, OtherRate: st.otherRate(key, now)}
	k := st.Keys[key]
	if k == nil {
		return sk
	}
	if r := k.Rate; r != nil && fresh(r.At, now) {
		sk.Rate = flowcontrol.SharedRate{Limited: r.Limited, Rate: r.Rate, Base: r.Base, Tentative: r.Tentative,
			At: time.Unix(0, r.At), Since: time.Unix(0, r.Since)}
	}
	for _, g := range k.Grants {
		sk.Grants = append(sk.Grants, flowcontrol.SharedGrant{Owner: g.Owner, At: time.Unix(0, g.At), Refused: g.Refused})
	}
	for o, at := range k.Seen {
		sk.Seen[o] = time.Unix(0, at)
	}
	return sk
}

// put stores the governor's record of key, dropping what is too old.
func (st *fileState) put(key string, sk *flowcontrol.SharedKey, now time.Time) {
	k := &fileKey{}
	if r := sk.Rate; !r.At.IsZero() && fresh(r.At.UnixNano(), now) {
		k.Rate = &fileRate{Limited: r.Limited, Rate: r.Rate, Base: r.Base, Tentative: r.Tentative, At: r.At.UnixNano(), Since: r.Since.UnixNano()}
	}
	cut := now.Add(-grantMemory).UnixNano()
	for _, g := range sk.Grants {
		if at := g.At.UnixNano(); at >= cut {
			k.Grants = append(k.Grants, fileGrant{Owner: g.Owner, At: at, Refused: g.Refused})
		}
	}
	for o, at := range sk.Seen {
		if at.UnixNano() >= cut {
			if k.Seen == nil {
				k.Seen = map[string]int64{}
			}
			k.Seen[o] = at.UnixNano()
		}
	}
	st.Keys[key] = k
	st.prune(now)
}

// prune forgets keys with nothing left to tell, and the oldest keys past
// maxKeys.
func (st *fileState) prune(now time.Time) {
	cut := now.Add(-grantMemory).UnixNano()
	for name, k := range st.Keys {
		if k.Rate != nil && !fresh(k.Rate.At, now) {
			k.Rate = nil
		}
		k.Grants = dropOld(k.Grants, cut)
		if k.Rate == nil && len(k.Grants) == 0 && len(k.Seen) == 0 {
			delete(st.Keys, name)
		}
	}
	for len(st.Keys) > maxKeys {
		oldest, at := "", int64(math.MaxInt64)
		for name, k := range st.Keys {
			if t := k.lastUse(); t < at {
				oldest, at = name, t
			}
		}
		delete(st.Keys, oldest)
	}
}

func dropOld(gs []fileGrant, cut int64) []fileGrant {
	out := gs[:0]
	for _, g := range gs {
		if g.At >= cut {
			out = append(out, g)
		}
	}
	return out
}

func (k *fileKey) lastUse() int64 {
	var t int64
	if k.Rate != nil {
		t = k.Rate.At
	}
	for _, at := range k.Seen {
		t = max(t, at)
	}
	return t
}

// otherRate is the lowest confirmed limit another key learned.
func (st *fileState) otherRate(key string, now time.Time) float64 {
	lowest := 0.0
	for name, k := range st.Keys {
		if r := k.Rate; name != key && r != nil && r.Limited && !r.Tentative && r.Rate > 0 && fresh(r.At, now) {
			if lowest == 0 || r.Rate < lowest {
				lowest = r.Rate
			}
		}
	}
	return lowest
}

// fresh: learned less than RateExpiry ago, and not in the future beyond
// clock noise.
func fresh(at int64, now time.Time) bool {
	t := time.Unix(0, at)
	return now.Sub(t) < RateExpiry && t.Sub(now) < time.Minute
}

func encode(st *fileState) ([]byte, error) { return json.Marshal(st) }
