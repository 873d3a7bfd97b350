# The provider's data sources in a Terraform plan.
#
# Finds every smartag_online_clients and smartag_user_online_clients data
# source in the JSON of a saved plan (`terraform show -json`), wherever
# Terraform put it, and every one whose read waits for apply.
package smartag.plan

# The data source types the policies understand.
audited_types := {"smartag_online_clients", "smartag_user_online_clients"}

# The plan: the whole input for `opa eval`/conftest; `input.plan` in HCP
# Terraform, which puts run details beside it under `input.run`.
doc := input.plan if is_object(input.plan)

else := input

# Data sources read during the plan are in prior_state, in the root module
# or in child modules at any depth.
read_during_plan[r.address] := r if {
	some module in modules
	some r in module.resources
	r.mode == "data"
	r.type in audited_types
	not unread[r.address]
}

# A read that resource_changes lists with a known answer but prior_state
# does not hold is judged from its planned values. (A data source scoped to
# a check block is in both, with the same values: prior_state's copy counts.)
read_during_plan[rc.address] := {"address": rc.address, "type": rc.type, "values": rc.change.after} if {
	some rc in reads
	not unread[rc.address]
	not in_prior_state(rc.address)
}

# Reads deferred to apply: their answer is unknown at plan time, so no policy
# can judge it. Terraform lists them in resource_changes with the action
# "read" and marks the attributes it cannot know yet in after_unknown.
unread[rc.address] := {"address": rc.address, "type": rc.type, "reason": object.get(rc, "action_reason", "read deferred to apply")} if {
	some rc in reads
	answer_unknown(rc.change)
}

# Reads Terraform defers to a later plan and apply (deferred_changes, from
# Terraform 1.14 on when deferral is allowed: a provider configuration or an
# instance count not known yet): the plan holds no answer for them either.
unread[rc.address] := {"address": rc.address, "type": rc.type, "reason": object.get(dc, "reason", "deferred")} if {
	some dc in doc.deferred_changes
	rc := dc.resource_change
	rc.mode == "data"
	rc.type in audited_types
	not read_address(rc.address)
}

read_address(address) if {
	some rc in reads
	rc.address == address
}

reads contains rc if {
	some rc in doc.resource_changes
	rc.mode == "data"
	rc.type in audited_types
	rc.change.actions == ["read"]
}

# The answer's attributes: if any of them is unknown, so is the answer.
answer_attributes := {"clients", "client_ips", "users"}

answer_unknown(change) if {
	some attr in answer_attributes
	change.after_unknown[attr] == true
}

answer_unknown(change) if {
	not change.after.clients
}

in_prior_state(address) if {
	some module in modules
	some r in module.resources
	r.address == address
}

# Every module of prior_state: the root module and the child_modules below
# it, found by walking only through "child_modules" keys.
modules contains module if {
	walk(doc.prior_state.values.root_module, [path, module])
	module_path(path)
}

module_path(path) if {
	count(path) % 2 == 0
	every i, step in path {
		module_step(i, step)
	}
}

module_step(i, step) if {
	i % 2 == 0
	step == "child_modules"
}

module_step(i, step) if {
	i % 2 == 1
	is_number(step)
}
