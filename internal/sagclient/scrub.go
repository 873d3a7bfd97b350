package sagclient

import (
	"regexp"
	"strings"
	"sync"
)

// scrubber removes secrets from text that leaves this package. It knows the
// secrets it was told about (the credentials actually used, which may come
// from STS long after configuration) and the shape of signed query strings.
type scrubber struct {
	mu      sync.RWMutex
	secrets map[string]struct{}
}

func newScrubber() *scrubber { return &scrubber{secrets: map[string]struct{}{}} }

// add remembers secrets; very short values are ignored so that scrubbing
// cannot mangle ordinary words.
func (s *scrubber) add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) >= 6 {
			s.secrets[v] = struct{}{}
		}
	}
}

var signedParam = regexp.MustCompile(`(?i)(Signature|SecurityToken|AccessKeySecret)=[^&\s"']*`)

func (s *scrubber) scrub(text string) string {
	if s == nil {
		return signedParam.ReplaceAllString(text, "$1=REDACTED")
	}
	s.mu.RLock()
	for v := range s.secrets {
		text = strings.ReplaceAll(text, v, "REDACTED")
	}
	s.mu.RUnlock()
	return signedParam.ReplaceAllString(text, "$1=REDACTED")
}
