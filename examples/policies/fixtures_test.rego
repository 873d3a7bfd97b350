# Small hand-written plans for the policies' unit tests: the shapes are those
# `terraform show -json` writes (see the end-to-end test in
# internal/policytest for the real thing).
package smartag_test

# The limits every test starts from; tests change one with `with`.
limits := {
	"allowed_cidrs": ["10.10.0.0/16", "fd00::/8"],
	"max_session_hours": 12,
	"max_sessions_per_account": 2,
	"account_session_limits": {},
	"unread_data_sources": "deny",
	"now": "2026-01-01T12:00:00Z",
}

# A client session that came online at `since` (RFC 3339), with both the
# API's online_time and the provider's online_since.
client(user_name, ip, since) := {
	"user_name": user_name,
	"client_ip": ip,
	"online_time": format_int(time.parse_rfc3339_ns(since) / 1000000000, 10),
	"online_since": since,
}

account(user_name, enabled) := {
	"user_name": user_name,
	"user_mail": sprintf("%s@example.com", [user_name]),
	"enabled": enabled,
	"bandwidth_kbps": 2048,
	"online_count": 0,
}

# The values of a smartag_online_clients data source on gateway id, region
# inherited from the provider (null), as the provider writes them.
online_clients(id, users, clients) := {
	"id": sprintf("cn-shanghai:%s", [id]),
	"smartag_id": id,
	"region": null,
	"user_names": null,
	"timeouts": null,
	"users": users,
	"clients": clients,
	"client_ips": [c.client_ip | some c in clients],
}

# The values of a smartag_user_online_clients data source.
user_online_clients(id, user_name, clients) := {
	"id": sprintf("cn-shanghai:%s:%s", [id, user_name]),
	"smartag_id": id,
	"user_name": user_name,
	"region": null,
	"timeouts": null,
	"request_id": "9566C74D-108D-0801-F290-55D3090D2463",
	"clients": [object.remove(c, ["user_name"]) | some c in clients],
	"client_ips": [c.client_ip | some c in clients],
}

# A data source as prior_state lists it.
data_source(address, type, values) := {
	"address": address,
	"mode": "data",
	"type": type,
	"name": "this",
	"provider_name": "registry.terraform.io/opensmartag/smartag",
	"schema_version": 0,
	"values": values,
	"sensitive_values": {},
}

# A plan whose prior_state holds the given resources in its root module.
plan(resources) := {
	"format_version": "1.2",
	"terraform_version": "1.11.4",
	"timestamp": "2026-01-01T12:00:00Z",
	"prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": resources}}},
	"resource_changes": [],
}

# A plan with one smartag_online_clients data source on sag-test1.
gateway_plan(users, clients) := plan([data_source(
	"data.smartag_online_clients.this", "smartag_online_clients",
	online_clients("sag-test1", users, clients),
)])

# A resource_changes entry for a data source read during apply: what
# Terraform writes when an argument is unknown at plan time.
deferred_read(address, type) := {
	"address": address,
	"mode": "data",
	"type": type,
	"name": "this",
	"provider_name": "registry.terraform.io/opensmartag/smartag",
	"change": {
		"actions": ["read"],
		"before": null,
		"after": {"region": null, "timeouts": null, "user_names": null},
		"after_unknown": {"client_ips": true, "clients": true, "id": true, "smartag_id": true, "users": true},
		"before_sensitive": false,
		"after_sensitive": {"client_ips": [], "clients": [], "users": []},
	},
	"action_reason": "read_because_config_unknown",
}
