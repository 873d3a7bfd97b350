package smartag_test

import data.smartag

three_alice_sessions := [
	client("alice", "10.10.1.21", "2026-01-01T08:00:00Z"),
	client("alice", "10.10.1.22", "2026-01-01T09:00:00Z"),
	client("alice", "10.10.1.23", "2026-01-01T10:00:00Z"),
]

test_more_sessions_than_allowed_is_denied if {
	p := gateway_plan([account("alice", true)], three_alice_sessions)
	smartag.deny == {"sag-test1 (cn-shanghai): account alice has 3 sessions online, more than the 2 allowed: 10.10.1.21 since 2026-01-01T08:00:00Z, 10.10.1.22 since 2026-01-01T09:00:00Z, 10.10.1.23 since 2026-01-01T10:00:00Z"} with input as p
		with data.smartag_limits as limits
}

test_sessions_up_to_the_limit_pass if {
	p := gateway_plan([account("alice", true)], array.slice(three_alice_sessions, 0, 2))
	count(smartag.deny) == 0 with input as p with data.smartag_limits as limits
}

test_per_account_limit_wins_over_the_default if {
	p := gateway_plan([account("alice", true), account("bob", true)], array.concat(three_alice_sessions, [
		client("bob", "10.10.2.7", "2026-01-01T10:00:00Z"),
		client("bob", "10.10.2.8", "2026-01-01T10:00:00Z"),
	]))
	l := json.patch(limits, [{"op": "replace", "path": "/account_session_limits", "value": {"alice": 3, "bob": 1}}])
	smartag.deny == {"sag-test1 (cn-shanghai): account bob has 2 sessions online, more than the 1 allowed: 10.10.2.7 since 2026-01-01T10:00:00Z, 10.10.2.8 since 2026-01-01T10:00:00Z"} with input as p
		with data.smartag_limits as l
}

# The same session reported by both data sources counts once.
test_session_seen_by_both_data_sources_counts_once if {
	sessions := array.slice(three_alice_sessions, 0, 2)
	p := plan([
		data_source("data.smartag_online_clients.all", "smartag_online_clients", online_clients("sag-test1", [account("alice", true)], sessions)),
		data_source("data.smartag_user_online_clients.alice", "smartag_user_online_clients", user_online_clients("sag-test1", "alice", sessions)),
	])
	count(smartag.deny) == 0 with input as p with data.smartag_limits as limits
}

# Sessions of one user name on two gateways are two accounts' sessions.
test_sessions_are_counted_per_gateway if {
	p := plan([
		data_source("data.smartag_online_clients.a", "smartag_online_clients", online_clients("sag-test1", [account("alice", true)], array.slice(three_alice_sessions, 0, 2))),
		data_source("data.smartag_online_clients.b", "smartag_online_clients", online_clients("sag-test2", [account("alice", true)], array.slice(three_alice_sessions, 2, 3))),
	])
	count(smartag.deny) == 0 with input as p with data.smartag_limits as limits
}
