package smartag_test

import data.smartag

test_session_longer_than_the_limit_is_denied if {
	p := gateway_plan([account("alice", true)], [client("alice", "10.10.1.21", "2025-12-31T22:59:00Z")])
	smartag.deny == {"sag-test1 (cn-shanghai): account alice is online from 10.10.1.21 since 2025-12-31T22:59:00Z, for 13h01m, longer than the 12 hours allowed"} with input as p
		with data.smartag_limits as limits
}

test_session_shorter_than_the_limit_passes if {
	p := gateway_plan([account("alice", true)], [client("alice", "10.10.1.21", "2026-01-01T00:01:00Z")])
	count(smartag.deny) == 0 with input as p with data.smartag_limits as limits
}

# Exactly the limit is not more than the limit.
test_session_of_exactly_the_limit_passes if {
	p := gateway_plan([account("alice", true)], [client("alice", "10.10.1.21", "2026-01-01T00:00:00Z")])
	count(smartag.deny) == 0 with input as p with data.smartag_limits as limits
}

test_fractional_hour_limit if {
	p := gateway_plan([account("alice", true)], [client("alice", "10.10.1.21", "2026-01-01T11:15:00Z")])
	l := json.patch(limits, [{"op": "replace", "path": "/max_session_hours", "value": 0.5}])
	smartag.deny == {"sag-test1 (cn-shanghai): account alice is online from 10.10.1.21 since 2026-01-01T11:15:00Z, for 0h45m, longer than the 0.5 hours allowed"} with input as p
		with data.smartag_limits as l
}

# Without data.smartag_limits.now, sessions are judged at the time the plan
# was made: the plan's timestamp.
test_plan_timestamp_is_now_by_default if {
	p := json.patch(
		gateway_plan([account("alice", true)], [client("alice", "10.10.1.21", "2026-01-01T10:00:00Z")]),
		[{"op": "replace", "path": "/timestamp", "value": "2026-01-02T00:00:00Z"}],
	)
	smartag.deny == {"sag-test1 (cn-shanghai): account alice is online from 10.10.1.21 since 2026-01-01T10:00:00Z, for 14h00m, longer than the 12 hours allowed"} with input as p
		with data.smartag_limits as object.remove(limits, ["now"])
}

# online_since is null when the provider could not convert online_time;
# online_time is then read as unix seconds.
test_online_time_is_used_when_online_since_is_null if {
	c := object.union(client("alice", "10.10.1.21", "2025-12-31T20:00:00Z"), {"online_since": null})
	p := gateway_plan([account("alice", true)], [c])
	smartag.deny == {"sag-test1 (cn-shanghai): account alice is online from 10.10.1.21 since 2025-12-31T20:00:00Z, for 16h00m, longer than the 12 hours allowed"} with input as p
		with data.smartag_limits as limits
}

test_unreadable_start_is_denied_as_unchecked if {
	c := {"user_name": "alice", "client_ip": "10.10.1.21", "online_time": "yesterday", "online_since": null}
	p := gateway_plan([account("alice", true)], [c])
	smartag.deny == {`sag-test1 (cn-shanghai): account alice is online from 10.10.1.21 since an unreadable time (online_time "yesterday"), so its age could not be checked`} with input as p
		with data.smartag_limits as limits
}

test_user_online_clients_session_too_long_is_denied if {
	p := plan([data_source(
		"data.smartag_user_online_clients.alice", "smartag_user_online_clients",
		user_online_clients("sag-test1", "alice", [client("alice", "10.10.1.21", "2025-12-30T12:00:00Z")]),
	)])
	smartag.deny == {"sag-test1 (cn-shanghai): account alice is online from 10.10.1.21 since 2025-12-30T12:00:00Z, for 48h00m, longer than the 12 hours allowed"} with input as p
		with data.smartag_limits as limits
}
