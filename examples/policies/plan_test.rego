package smartag_test

import data.smartag
import data.smartag.plan as tfplan

alice_outside := client("alice", "172.16.5.9", "2026-01-01T10:00:00Z")

alice_outside_msg := "sag-test1 (cn-shanghai): account alice is online from 172.16.5.9 since 2026-01-01T10:00:00Z, outside the allowed ranges 10.10.0.0/16, fd00::/8"

# Data sources in modules are in child_modules, at any depth.
test_data_sources_in_nested_modules_are_found if {
	ds := data_source("module.a.module.b.data.smartag_online_clients.this", "smartag_online_clients", online_clients("sag-test1", [account("alice", true)], [alice_outside]))
	p := {
		"format_version": "1.2",
		"timestamp": "2026-01-01T12:00:00Z",
		"prior_state": {"values": {"root_module": {"child_modules": [{
			"address": "module.a",
			"resources": [],
			"child_modules": [{"address": "module.a.module.b", "resources": [ds]}],
		}]}}},
	}
	object.keys(tfplan.read_during_plan) == {"module.a.module.b.data.smartag_online_clients.this"} with input as p
	smartag.deny == {alice_outside_msg} with input as p with data.smartag_limits as limits
}

# Only data sources count: a managed resource of another provider that has
# the same type name is not an answer.
test_managed_resources_are_ignored if {
	r := object.union(
		data_source("smartag_online_clients.this", "smartag_online_clients", online_clients("sag-test1", [], [alice_outside])),
		{"mode": "managed"},
	)
	count(tfplan.read_during_plan) == 0 with input as plan([r])
}

# A read deferred to apply has no answer in the plan: denied, not passed.
test_deferred_read_is_denied if {
	p := object.union(plan([]), {"resource_changes": [deferred_read("data.smartag_online_clients.later", "smartag_online_clients")]})
	smartag.deny == {"data.smartag_online_clients.later: not read during the plan (read_because_config_unknown), so who is online there could not be checked; give it arguments known at plan time, or check again after apply"} with input as p
		with data.smartag_limits as limits
	count(smartag.warn) == 0 with input as p with data.smartag_limits as limits
}

# With unread_data_sources = "warn", it is a warning (conftest: WARN).
test_deferred_read_warns_when_configured if {
	p := object.union(plan([]), {"resource_changes": [deferred_read("data.smartag_user_online_clients.later", "smartag_user_online_clients")]})
	l := json.patch(limits, [{"op": "replace", "path": "/unread_data_sources", "value": "warn"}])
	count(smartag.deny) == 0 with input as p with data.smartag_limits as l
	smartag.warn == {"data.smartag_user_online_clients.later: not read during the plan (read_because_config_unknown), so who is online there could not be checked; give it arguments known at plan time, or check again after apply"} with input as p
		with data.smartag_limits as l
}

# A deferred read whose address is also in prior_state (values left from an
# earlier run) is judged unread: the old values are not today's answer.
test_deferred_read_wins_over_stale_prior_state if {
	ds := data_source("data.smartag_online_clients.later", "smartag_online_clients", online_clients("sag-test1", [account("alice", true)], [alice_outside]))
	p := object.union(plan([ds]), {"resource_changes": [deferred_read("data.smartag_online_clients.later", "smartag_online_clients")]})
	count(tfplan.read_during_plan) == 0 with input as p
	object.keys(tfplan.unread) == {"data.smartag_online_clients.later"} with input as p
}

# A data source scoped to a check block is in prior_state and in
# resource_changes with the action read and known values: one answer.
test_check_scoped_data_source_is_one_answer if {
	values := online_clients("sag-test1", [account("alice", true)], [alice_outside])
	rc := {
		"address": "data.smartag_online_clients.scoped",
		"mode": "data",
		"type": "smartag_online_clients",
		"change": {"actions": ["read"], "before": null, "after": values, "after_unknown": {}},
		"action_reason": "read_because_check_nested",
	}
	p := object.union(plan([data_source("data.smartag_online_clients.scoped", "smartag_online_clients", values)]), {"resource_changes": [rc]})
	object.keys(tfplan.read_during_plan) == {"data.smartag_online_clients.scoped"} with input as p
	count(tfplan.unread) == 0 with input as p
	smartag.deny == {alice_outside_msg} with input as p with data.smartag_limits as limits
}

# A read with a known answer that only resource_changes lists is judged too.
test_known_read_only_in_resource_changes_is_judged if {
	values := online_clients("sag-test1", [account("alice", true)], [alice_outside])
	rc := {
		"address": "data.smartag_online_clients.x",
		"mode": "data",
		"type": "smartag_online_clients",
		"change": {"actions": ["read"], "before": null, "after": values, "after_unknown": {}},
	}
	p := object.union(plan([]), {"resource_changes": [rc]})
	smartag.deny == {alice_outside_msg} with input as p with data.smartag_limits as limits
}

# HCP Terraform hands OPA the plan as input.plan, with run details beside it.
test_hcp_terraform_input_layout if {
	p := gateway_plan([account("alice", true)], [alice_outside])
	smartag.deny == {alice_outside_msg} with input as {"plan": p, "run": {"workspace": {"name": "audit"}}}
		with data.smartag_limits as limits
}

# The region comes from the data source's own region argument when set, and
# from its ID (the provider's region) when not.
test_region_argument_names_the_gateway if {
	values := object.union(online_clients("sag-test1", [account("alice", true)], [alice_outside]), {"region": "cn-hongkong", "id": "cn-hongkong:sag-test1"})
	p := plan([data_source("data.smartag_online_clients.hk", "smartag_online_clients", values)])
	smartag.deny == {"sag-test1 (cn-hongkong): account alice is online from 172.16.5.9 since 2026-01-01T10:00:00Z, outside the allowed ranges 10.10.0.0/16, fd00::/8"} with input as p
		with data.smartag_limits as limits
}

test_empty_region_falls_back_to_the_id if {
	values := object.union(online_clients("sag-test1", [account("alice", true)], [alice_outside]), {"region": "", "id": "cn-beijing:sag-test1"})
	p := plan([data_source("data.smartag_online_clients.bj", "smartag_online_clients", values)])
	smartag.deny == {"sag-test1 (cn-beijing): account alice is online from 172.16.5.9 since 2026-01-01T10:00:00Z, outside the allowed ranges 10.10.0.0/16, fd00::/8"} with input as p
		with data.smartag_limits as limits
}

# A plan with none of the provider's data sources has nothing to deny.
test_plan_without_data_sources_passes if {
	count(smartag.deny) == 0 with input as plan([]) with data.smartag_limits as limits
	count(smartag.deny) == 0 with input as {"format_version": "1.2"} with data.smartag_limits as limits
}

# Without unread_data_sources in the limits, an unread data source is denied.
test_deferred_read_is_denied_by_default if {
	p := object.union(plan([]), {"resource_changes": [deferred_read("data.smartag_online_clients.later", "smartag_online_clients")]})
	l := object.remove(limits, ["unread_data_sources"])
	count(smartag.deny) == 1 with input as p with data.smartag_limits as l
	count(smartag.warn) == 0 with input as p with data.smartag_limits as l
}

# An answer that is only partly unknown is no answer either.
test_partly_unknown_read_is_unread if {
	rc := json.patch(deferred_read("data.smartag_online_clients.later", "smartag_online_clients"), [
		{"op": "add", "path": "/change/after/clients", "value": []},
		{"op": "replace", "path": "/change/after_unknown", "value": {"users": true}},
	])
	object.keys(tfplan.unread) == {"data.smartag_online_clients.later"} with input as object.union(plan([]), {"resource_changes": [rc]})
}

# Terraform 1.14 and later list reads deferred to a later plan under
# deferred_changes, not resource_changes, and mark the plan incomplete:
# denied, not passed, with Terraform's reason.
test_read_in_deferred_changes_is_denied if {
	rc := deferred_read("module.audit.data.smartag_user_online_clients.later", "smartag_user_online_clients")
	p := object.union(plan([]), {
		"applyable": true,
		"complete": false,
		"action_invocations": [],
		"deferred_changes": [{"reason": "provider_config_unknown", "resource_change": rc}],
	})
	object.keys(tfplan.unread) == {"module.audit.data.smartag_user_online_clients.later"} with input as p
	smartag.deny == {"module.audit.data.smartag_user_online_clients.later: not read during the plan (provider_config_unknown), so who is online there could not be checked; give it arguments known at plan time, or check again after apply"} with input as p
		with data.smartag_limits as limits
}

# The keys newer Terraform adds change nothing for a plan that read
# everything: the same verdict as without them.
test_keys_of_newer_terraform_change_nothing if {
	ds := data_source("data.smartag_online_clients.hq", "smartag_online_clients", online_clients("sag-test1", [account("alice", true)], [alice_outside]))
	p := object.union(plan([ds]), {
		"applyable": true,
		"complete": true,
		"action_invocations": [{"address": "action.smartag_kick_out_clients.frank", "type": "smartag_kick_out_clients", "name": "frank", "config_values": {"smartag_id": "sag-test1", "user_name": "frank"}, "provider_name": "registry.terraform.io/opensmartag/smartag", "lifecycle_action_trigger": {"triggering_resource_address": "terraform_data.remediate", "action_trigger_event": "AfterCreate", "action_trigger_block_index": 0, "actions_list_index": 0}}],
	})
	smartag.deny == {alice_outside_msg} with input as p with data.smartag_limits as limits
	smartag.deny == {alice_outside_msg} with input as {"plan": p, "run": {"is_destroy": false}} with data.smartag_limits as limits
}
