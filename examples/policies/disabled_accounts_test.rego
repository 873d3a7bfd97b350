package smartag_test

import data.smartag

test_disabled_account_online_is_denied if {
	p := gateway_plan(
		[account("alice", true), account("frank", false)],
		[client("alice", "10.10.1.21", "2026-01-01T10:00:00Z"), client("frank", "10.10.4.2", "2026-01-01T09:00:00Z")],
	)
	smartag.deny == {"sag-test1 (cn-shanghai): disabled account frank is online from 10.10.4.2 since 2026-01-01T09:00:00Z"} with input as p
		with data.smartag_limits as limits
}

test_disabled_account_offline_passes if {
	p := gateway_plan(
		[account("alice", true), account("frank", false)],
		[client("alice", "10.10.1.21", "2026-01-01T10:00:00Z")],
	)
	count(smartag.deny) == 0 with input as p with data.smartag_limits as limits
}

test_every_session_of_a_disabled_account_is_denied if {
	p := gateway_plan([account("frank", false)], [
		client("frank", "10.10.4.2", "2026-01-01T09:00:00Z"),
		client("frank", "10.10.4.3", "2026-01-01T10:00:00Z"),
	])
	smartag.deny == {
		"sag-test1 (cn-shanghai): disabled account frank is online from 10.10.4.2 since 2026-01-01T09:00:00Z",
		"sag-test1 (cn-shanghai): disabled account frank is online from 10.10.4.3 since 2026-01-01T10:00:00Z",
	} with input as p
		with data.smartag_limits as limits
}

# An account is disabled on one gateway; the same name on another gateway is
# another account.
test_disabled_is_per_gateway if {
	p := plan([
		data_source("data.smartag_online_clients.a", "smartag_online_clients", online_clients("sag-test1", [account("frank", false)], [])),
		data_source("data.smartag_online_clients.b", "smartag_online_clients", online_clients(
			"sag-test2",
			[account("frank", true)], [client("frank", "10.10.4.2", "2026-01-01T09:00:00Z")],
		)),
	])
	count(smartag.deny) == 0 with input as p with data.smartag_limits as limits
}

# smartag_user_online_clients does not say whether an account is enabled,
# but a disabled account seen by smartag_online_clients is flagged for the
# sessions either data source reports.
test_disabled_account_session_from_user_online_clients_is_denied if {
	p := plan([
		data_source("data.smartag_online_clients.a", "smartag_online_clients", online_clients("sag-test1", [account("frank", false)], [])),
		data_source(
			"data.smartag_user_online_clients.frank", "smartag_user_online_clients",
			user_online_clients("sag-test1", "frank", [client("frank", "10.10.4.2", "2026-01-01T09:00:00Z")]),
		),
	])
	smartag.deny == {"sag-test1 (cn-shanghai): disabled account frank is online from 10.10.4.2 since 2026-01-01T09:00:00Z"} with input as p
		with data.smartag_limits as limits
}
