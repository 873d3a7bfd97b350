package smartag_test

import data.smartag

test_address_outside_every_range_is_denied if {
	p := gateway_plan([account("alice", true)], [client("alice", "172.16.5.9", "2026-01-01T10:00:00Z")])
	smartag.deny == {"sag-test1 (cn-shanghai): account alice is online from 172.16.5.9 since 2026-01-01T10:00:00Z, outside the allowed ranges 10.10.0.0/16, fd00::/8"} with input as p
		with data.smartag_limits as limits
}

test_addresses_inside_a_range_pass if {
	p := gateway_plan([account("alice", true)], [
		client("alice", "10.10.1.21", "2026-01-01T10:00:00Z"),
		client("alice", "fd00::15", "2026-01-01T10:00:00Z"),
	])
	count(smartag.deny) == 0 with input as p with data.smartag_limits as limits
}

test_ipv4_address_is_not_in_an_ipv6_range if {
	p := gateway_plan([account("alice", true)], [client("alice", "10.10.1.21", "2026-01-01T10:00:00Z")])
	l := json.patch(limits, [{"op": "replace", "path": "/allowed_cidrs", "value": ["fd00::/8"]}])
	count(smartag.deny) == 1 with input as p with data.smartag_limits as l
}

test_ipv6_address_outside_every_range_is_denied if {
	p := gateway_plan([account("alice", true)], [client("alice", "2001:db8::7", "2026-01-01T10:00:00Z")])
	smartag.deny == {"sag-test1 (cn-shanghai): account alice is online from 2001:db8::7 since 2026-01-01T10:00:00Z, outside the allowed ranges 10.10.0.0/16, fd00::/8"} with input as p
		with data.smartag_limits as limits
}

# An address the API sent that is no IP address is denied, not skipped.
test_unparsable_address_is_denied if {
	p := gateway_plan([account("alice", true)], [client("alice", "not-an-address", "2026-01-01T10:00:00Z")])
	count(smartag.deny) == 1 with input as p with data.smartag_limits as limits
}

# No allowed range at all: every session is outside.
test_empty_range_list_denies_every_session if {
	p := gateway_plan([account("alice", true)], [client("alice", "10.10.1.21", "2026-01-01T10:00:00Z")])
	l := json.patch(limits, [{"op": "replace", "path": "/allowed_cidrs", "value": []}])
	smartag.deny == {"sag-test1 (cn-shanghai): account alice is online from 10.10.1.21 since 2026-01-01T10:00:00Z, outside the allowed ranges (none)"} with input as p
		with data.smartag_limits as l
}

test_user_online_clients_address_outside_is_denied if {
	p := plan([data_source(
		"data.smartag_user_online_clients.dave", "smartag_user_online_clients",
		user_online_clients("sag-test1", "dave", [client("dave", "192.168.100.5", "2026-01-01T10:00:00Z")]),
	)])
	smartag.deny == {"sag-test1 (cn-shanghai): account dave is online from 192.168.100.5 since 2026-01-01T10:00:00Z, outside the allowed ranges 10.10.0.0/16, fd00::/8"} with input as p
		with data.smartag_limits as limits
}

# An address the provider withheld (null: the answer held a secret of its
# credentials) is in no range either: denied, not skipped.
test_withheld_address_is_denied if {
	p := gateway_plan([account("alice", true)], [client("alice", null, "2026-01-01T10:00:00Z")])
	count(smartag.deny) == 1 with input as p with data.smartag_limits as limits
}
