# No live sessions of disabled accounts.
#
# Denies every session of an account that smartag_online_clients reports
# with enabled = false: disabling an account does not end its sessions.
package smartag

import data.smartag.sessions

deny contains msg if {
	some account in sessions.disabled_accounts
	some s in sessions.sessions
	s.gateway == account.gateway
	s.user_name == account.user_name
	msg := sprintf("%s: disabled account %s is online from %s since %s", [
		sessions.gateway(s), s.user_name, s.client_ip, sessions.since(s),
	])
}
