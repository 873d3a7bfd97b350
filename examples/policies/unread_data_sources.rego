# Data sources the plan could not read.
#
# A data source whose arguments are known only after apply (an ID from a
# resource created in the same run) is read during apply: the plan holds
# no answer, so none of the rules above can judge it. Such a plan is denied
# (or, with data.smartag_limits.unread_data_sources = "warn", warned
# about), never passed as if it were clean.
package smartag

import data.smartag.plan

default unread_level := "deny"

unread_level := data.smartag_limits.unread_data_sources

deny contains unread_message(r) if {
	unread_level == "deny"
	some r in plan.unread
}

warn contains unread_message(r) if {
	unread_level == "warn"
	some r in plan.unread
}

unread_message(r) := sprintf("%s: not read during the plan (%s), so who is online there could not be checked; give it arguments known at plan time, or check again after apply", [
	r.address, r.reason,
])
