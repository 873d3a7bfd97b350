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
	ClientIP string
	// OnlineTime is the API's value as returned: unix seconds, as a string.
	OnlineTime string
	// OnlineSince is OnlineTime as an instant in UTC; the zero time when
	// OnlineTime is not a non-negative integer.
	OnlineSince time.Time
}

// convertUsers keeps the API's order and values. Values that look wrong are
// kept as given with a warning rather than failing the read: the list is
// still true, and a policy check should see it.
func convertUsers(users []smartag.User) ([]OnlineClient, []string) {
	clients := make([]OnlineClient, 0, len(users))
	var warnings []string
	for i, u := range users {
		c := OnlineClient{ClientIP: u.ClientIp, OnlineTime: u.OnlineTime}
		if since, err := ParseOnlineTime(u.OnlineTime); err == nil {
			c.OnlineSince = since
		} else {
			warnings = append(warnings, fmt.Sprintf("client %d (%s): OnlineTime %q %v; online_since is left null", i, u.ClientIp, u.OnlineTime, err))
		}
		if _, err := netip.ParseAddr(u.ClientIp); err != nil {
			warnings = append(warnings, fmt.Sprintf("client %d: ClientIp %q is not an IP address; it is kept as given", i, u.ClientIp))
		}
		clients = append(clients, c)
	}
	return clients, warnings
}

// ParseOnlineTime reads the API's OnlineTime: unix seconds, as a decimal
// string.
func ParseOnlineTime(s string) (time.Time, error) {
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
