# No more concurrent sessions per account than allowed.
#
# Denies every account with more sessions online on one gateway than
# data.smartag_limits.account_session_limits[<user name>], or else
# data.smartag_limits.max_sessions_per_account, allows.
package smartag

import data.smartag.sessions

deny contains msg if {
	some account in online_accounts
	online := {s |
		some s in sessions.sessions
		s.gateway == account.gateway
		s.user_name == account.user_name
	}
	limit := session_limit(account.user_name)
	count(online) > limit
	list := sort([sprintf("%s since %s", [s.client_ip, sessions.since(s)]) | some s in online])
	msg := sprintf("%s: account %s has %d sessions online, more than the %d allowed: %s", [
		sessions.gateway(account), account.user_name, count(online), limit, concat(", ", list),
	])
}

online_accounts contains {"gateway": s.gateway, "region": s.region, "user_name": s.user_name} if {
	some s in sessions.sessions
}

session_limit(user_name) := limit if {
	limit := data.smartag_limits.account_session_limits[user_name]
} else := data.smartag_limits.max_sessions_per_account
