# Sessions only from allowed address ranges.
#
# Denies every session whose client address is outside all of
# data.smartag_limits.allowed_cidrs (IPv4 or IPv6 CIDR ranges).
package smartag

import data.smartag.sessions

deny contains msg if {
	some s in sessions.sessions
	not in_allowed_range(s.client_ip)
	msg := sprintf("%s: account %s is online from %s since %s, outside the allowed ranges %s", [
		sessions.gateway(s), s.user_name, s.client_ip, sessions.since(s),
		allowed_ranges,
	])
}

allowed_ranges := concat(", ", data.smartag_limits.allowed_cidrs) if {
	count(data.smartag_limits.allowed_cidrs) > 0
} else := "(none)"

# An address that is not an IP address is in no range (net.cidr_contains
# fails on it, which leaves this undefined): it is denied, not skipped.
in_allowed_range(ip) if {
	some cidr in data.smartag_limits.allowed_cidrs
	net.cidr_contains(cidr, ip)
}
