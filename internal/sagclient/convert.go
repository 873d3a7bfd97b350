package sagclient

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// OnlineClient is one online connection of a user.
type OnlineClient struct {
	// UserName is the account the session belongs to (set by the
	// instance-wide audit; empty for a single account's read).
	UserName string
	ClientIP string
	// OnlineTime is the API's value as returned: unix seconds, as a string.
	OnlineTime string
	// OnlineSince is OnlineTime as an instant in UTC; the zero time when
	// OnlineTime is not a non-negative integer.
	OnlineSince time.Time
	// RequestID is the answer that reported the session (set by the
	// instance-wide audit).
	RequestID string
	// ClientIPWithheld and OnlineTimeWithheld say the answer's value held
	// a secret of this provider's credentials and was dropped: the state
	// gets null, not a value that looks like an answer.
	ClientIPWithheld, OnlineTimeWithheld bool
}

// convertOnlineClients keeps the API's order and values. Values that look
// wrong are kept as given with a warning rather than failing the read: the
// list is still true, and a policy check should see it. Values quoted in
// warnings are scrubbed and bounded.
func convertOnlineClients(users []smartag.User, w *warnings, scrub *scrubber, userName string) []OnlineClient {
	clients := make([]OnlineClient, 0, len(users))
	who := ""
	if userName != "" {
		who = fmt.Sprintf(" of account %s", quoted(scrub, userName))
	}
	for i, u := range users {
		// A value that holds one of our secrets is an echo of the request,
		// not an answer: it must not reach the state.
		c := OnlineClient{UserName: userName, ClientIP: u.ClientIp, OnlineTime: u.OnlineTime}
		if scrub.scrub(u.ClientIp) != u.ClientIp {
			w.add("client %d%s: ClientIp holds a secret of this provider's credentials; it is withheld (null)", i, who)
			c.ClientIP, c.ClientIPWithheld = "", true
		}
		if scrub.scrub(u.OnlineTime) != u.OnlineTime {
			w.add("client %d%s: OnlineTime holds a secret of this provider's credentials; it is withheld (null)", i, who)
			c.OnlineTime, c.OnlineTimeWithheld = "", true
		}
		if c.OnlineTimeWithheld {
			// online_since is null too; the warning above says why.
		} else if since, err := parseOnlineTime(c.OnlineTime); err == nil {
			c.OnlineSince = since
		} else {
			w.add("client %d%s (%s): OnlineTime %s %v; online_since is left null", i, who, quoted(scrub, c.ClientIP), quoted(scrub, c.OnlineTime), err)
		}
		if _, err := netip.ParseAddr(c.ClientIP); err != nil && !c.ClientIPWithheld {
			w.add("client %d%s: ClientIp %s is not an IP address; it is kept as given", i, who, quoted(scrub, c.ClientIP))
		}
		clients = append(clients, c)
	}
	return clients
}

// quoted is a value from an answer as a warning shows it: scrubbed, cut to
// a bounded snippet, quoted.
func quoted(scrub *scrubber, v string) string {
	return strconv.Quote(snippet(scrub.scrub(v), 64))
}

// parseOnlineTime reads the API's OnlineTime: unix seconds, as a decimal
// string.
func parseOnlineTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("is empty")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("is not unix seconds")
	}
	if n < 0 {
		return time.Time{}, fmt.Errorf("is negative")
	}
	// Beyond year 9999 RFC 3339 has no spelling.
	if n > 253402300799 {
		return time.Time{}, fmt.Errorf("is too far in the future")
	}
	return time.Unix(n, 0).UTC(), nil
}
