# The limits the rules read.
#
# Every limit comes from data.smartag_limits (data.json beside the
# policies). A limit that is missing or malformed would make its rule pass
# everything, so it is denied instead.
package smartag

deny contains sprintf("smartag policy configuration: %s", [problem]) if {
	some problem in limit_problems
}

limit_problems contains "data.smartag_limits is missing (load data.json with the policies)" if {
	not is_object(data.smartag_limits)
}

limit_problems contains "data.smartag_limits.allowed_cidrs must be a list of CIDR ranges" if {
	is_object(data.smartag_limits)
	not valid_cidrs(limit("allowed_cidrs"))
}

limit_problems contains "data.smartag_limits.max_session_hours must be a number above 0" if {
	is_object(data.smartag_limits)
	not positive(limit("max_session_hours"))
}

limit_problems contains "data.smartag_limits.max_sessions_per_account must be a whole number above 0" if {
	is_object(data.smartag_limits)
	not positive_integer(limit("max_sessions_per_account"))
}

limit_problems contains sprintf("data.smartag_limits.account_session_limits[%q] must be a whole number above 0", [name]) if {
	is_object(data.smartag_limits.account_session_limits)
	some name, n in data.smartag_limits.account_session_limits
	not positive_integer(n)
}

limit_problems contains "data.smartag_limits.account_session_limits must be an object of user name to limit" if {
	"account_session_limits" in object.keys(data.smartag_limits)
	not is_object(data.smartag_limits.account_session_limits)
}

limit_problems contains `data.smartag_limits.unread_data_sources must be "deny" or "warn"` if {
	"unread_data_sources" in object.keys(data.smartag_limits)
	not data.smartag_limits.unread_data_sources in {"deny", "warn"}
}

limit_problems contains "data.smartag_limits.now must be an RFC 3339 time" if {
	"now" in object.keys(data.smartag_limits)
	data.smartag_limits.now != null
	not time.parse_rfc3339_ns(data.smartag_limits.now)
}

# A limit, null when it is not set. (A missing value passed straight to a
# function under `not` would make the whole rule undefined, never true.)
limit(name) := object.get(data.smartag_limits, name, null)

valid_cidrs(cidrs) if {
	is_array(cidrs)
	every cidr in cidrs {
		is_string(cidr)
		net.cidr_is_valid(cidr)
	}
}

positive(n) if {
	is_number(n)
	n > 0
}

positive_integer(n) if {
	positive(n)
	n == floor(n)
}
