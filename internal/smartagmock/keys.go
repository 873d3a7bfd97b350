package smartagmock

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// maxKeyBytes bounds one bookkeeping key (counters, FailFirst). Clients
// choose the values keys are made of, up to 1 MiB each; longer keys are
// replaced by their SHA-256, which keeps them distinct at a fixed size.
const maxKeyBytes = 256

// pairKey is DescribeUserOnlineClients' (instance, user) key.
func pairKey(smartagID, userName string) string { return counterKey("pair", smartagID, userName) }

// actionKey is the (action, instance) key of the other Smartag actions.
func actionKey(action, smartagID string) string { return counterKey("action", action, smartagID) }

// counterKey encodes parts unambiguously (each as "len:value"), or hashes
// that encoding when it would be long. A hashed key starts with '#', which
// no encoded key does (they start with a digit).
func counterKey(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
	}
	if b.Len() <= maxKeyBytes {
		return b.String()
	}
	sum := sha256.Sum256([]byte(b.String()))
	return "#" + hex.EncodeToString(sum[:])
}
