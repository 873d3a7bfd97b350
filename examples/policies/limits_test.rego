package smartag_test

import data.smartag

# The data.json shipped beside the policies is complete and valid.
test_shipped_limits_are_valid if {
	count(smartag.limit_problems) == 0
}

test_test_limits_are_valid if {
	count(smartag.limit_problems) == 0 with data.smartag_limits as limits
}

test_missing_limits_are_denied if {
	smartag.deny == {"smartag policy configuration: data.smartag_limits is missing (load data.json with the policies)"} with input as plan([])
		with data.smartag_limits as null
}

test_missing_limit_is_denied if {
	smartag.deny == {"smartag policy configuration: data.smartag_limits.max_session_hours must be a number above 0"} with input as plan([])
		with data.smartag_limits as object.remove(limits, ["max_session_hours"])
}

test_malformed_limits_are_denied if {
	l := {
		"allowed_cidrs": ["10.10.0.0/33"],
		"max_session_hours": 0,
		"max_sessions_per_account": 1.5,
		"account_session_limits": {"alice": -1},
		"unread_data_sources": "ignore",
		"now": "yesterday",
	}
	smartag.deny == {
		"smartag policy configuration: data.smartag_limits.allowed_cidrs must be a list of CIDR ranges",
		"smartag policy configuration: data.smartag_limits.max_session_hours must be a number above 0",
		"smartag policy configuration: data.smartag_limits.max_sessions_per_account must be a whole number above 0",
		`smartag policy configuration: data.smartag_limits.account_session_limits["alice"] must be a whole number above 0`,
		`smartag policy configuration: data.smartag_limits.unread_data_sources must be "deny" or "warn"`,
		"smartag policy configuration: data.smartag_limits.now must be an RFC 3339 time",
	} with input as plan([])
		with data.smartag_limits as l
}

test_account_session_limits_must_be_an_object if {
	l := json.patch(limits, [{"op": "replace", "path": "/account_session_limits", "value": ["alice"]}])
	smartag.limit_problems == {"data.smartag_limits.account_session_limits must be an object of user name to limit"} with data.smartag_limits as l
}

# Optional limits may be left out.
test_optional_limits_may_be_absent if {
	l := object.remove(limits, ["account_session_limits", "unread_data_sources", "now"])
	count(smartag.limit_problems) == 0 with data.smartag_limits as l
}
