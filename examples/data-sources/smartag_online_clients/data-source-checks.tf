# Policy checks over the whole instance: a failed assertion is a warning
# on every plan and apply.
data "smartag_online_clients" "audit" {
  smartag_id = "sag-sample0shanghai01"
}

locals {
  disabled_accounts = [for u in data.smartag_online_clients.audit.users : u.user_name if !u.enabled]
  # Sessions online for more than 12 hours at plan time. online_since is
  # null when the API's OnlineTime was not unix seconds: the conditional
  # keeps timecmp() away from null.
  long_sessions = [
    for c in data.smartag_online_clients.audit.clients : "${c.user_name}@${c.client_ip}"
    if c.online_since == null ? false : timecmp(c.online_since, timeadd(plantimestamp(), "-12h")) < 0
  ]
}

check "no_disabled_account_online" {
  assert {
    condition = length([
      for c in data.smartag_online_clients.audit.clients : c if contains(local.disabled_accounts, c.user_name)
    ]) == 0
    error_message = "A disabled account still has a session open: ${join(", ", local.disabled_accounts)}."
  }
}

check "no_session_older_than_12h" {
  assert {
    condition     = length(local.long_sessions) == 0
    error_message = "Sessions online for more than 12 hours: ${join(", ", local.long_sessions)}."
  }
}
