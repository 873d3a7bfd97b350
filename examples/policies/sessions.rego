# Online sessions and accounts, from either data source.
#
# Turns the answers of smartag_online_clients and
# smartag_user_online_clients into one set of sessions, so that every rule
# is written once for both.
package smartag.sessions

import data.smartag.plan

# One entry per online client session. The same session seen through both
# data sources is one entry: identical objects are one member of a set.
sessions contains session(source.values, c.user_name, c) if {
	some source in plan.read_during_plan
	source.type == "smartag_online_clients"
	some c in source.values.clients
}

sessions contains session(source.values, source.values.user_name, c) if {
	some source in plan.read_during_plan
	source.type == "smartag_user_online_clients"
	some c in source.values.clients
}

session(values, user_name, client) := {
	"gateway": values.smartag_id,
	"region": region(values),
	"user_name": user_name,
	"client_ip": client.client_ip,
	"online_time": client.online_time,
	"online_since": client.online_since,
}

# Accounts that smartag_online_clients reports as disabled (only that data
# source knows an account's state).
disabled_accounts contains {"gateway": source.values.smartag_id, "user_name": user.user_name} if {
	some source in plan.read_during_plan
	source.type == "smartag_online_clients"
	some user in source.values.users
	user.enabled == false
}

# The region is null when the data source inherits the provider's; the ID
# always starts with it ("<region>:<smartag_id>...").
region(values) := values.region if {
	is_string(values.region)
	values.region != ""
} else := split(values.id, ":")[0]

# "sag-... (region)": how messages name a gateway.
gateway(s) := sprintf("%s (%s)", [s.gateway, s.region])

# When the session started, in nanoseconds since the epoch: online_since
# (RFC 3339) when the provider could convert the API's online_time, else
# online_time itself when it is unix seconds. Undefined when neither reads.
since_ns(s) := time.parse_rfc3339_ns(s.online_since) if {
	is_string(s.online_since)
} else := to_number(s.online_time) * 1000000000 if {
	regex.match(`^[0-9]+$`, s.online_time)
}

# When the session started, for messages.
since(s) := s.online_since if {
	is_string(s.online_since)
} else := formatted if {
	formatted := time.format(since_ns(s))
} else := sprintf("an unreadable time (online_time %q)", [s.online_time])

# The instant sessions are judged at: data.smartag_limits.now when set (tests,
# replays of old plans), else the time the plan was made (its "timestamp",
# the same instant as plantimestamp()), else now.
now_ns := time.parse_rfc3339_ns(data.smartag_limits.now) if {
	is_string(data.smartag_limits.now)
} else := time.parse_rfc3339_ns(plan.doc.timestamp) if {
	is_string(plan.doc.timestamp)
} else := time.now_ns()
