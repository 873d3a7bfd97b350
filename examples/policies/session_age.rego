# Sessions not online longer than allowed.
#
# Denies every session that has been online for more than
# data.smartag_limits.max_session_hours at the time the plan was made (or
# at data.smartag_limits.now), and every session whose start cannot be read.
package smartag

import data.smartag.sessions

deny contains msg if {
	some s in sessions.sessions
	age_ns := sessions.now_ns - sessions.since_ns(s)
	age_ns > (data.smartag_limits.max_session_hours * 3600) * 1000000000
	msg := sprintf("%s: account %s is online from %s since %s, for %s, longer than the %v hours allowed", [
		sessions.gateway(s), s.user_name, s.client_ip, sessions.since(s),
		hours_minutes(age_ns), data.smartag_limits.max_session_hours,
	])
}

# A session whose start neither online_since nor online_time gives cannot be
# judged: say so rather than let it pass.
deny contains msg if {
	some s in sessions.sessions
	not sessions.since_ns(s)
	msg := sprintf("%s: account %s is online from %s since %s, so its age could not be checked", [
		sessions.gateway(s), s.user_name, s.client_ip, sessions.since(s),
	])
}

# "40h26m" for a duration in nanoseconds.
hours_minutes(ns) := sprintf("%dh%02dm", [floor(minutes / 60), minutes % 60]) if {
	minutes := floor(ns / 60000000000)
}
