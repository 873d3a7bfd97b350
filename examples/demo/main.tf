# The demo that `make demo` applies against the bundled mock endpoint: who is
# online on one SAG instance, every account at once, as a table and an audit
# report, with policy checks on the sessions. scripts/demo.sh then runs the
# OPA policies of examples/policies on the same plan, and ends with the
# remediation of remediation.tf.

terraform {
  required_version = ">= 1.14" # action blocks (remediation.tf)
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

provider "smartag" {
  # make demo points this at the mock; leave it null for the real API.
  endpoint = var.endpoint
}

# Every account of the instance and every session online, in a few requests
# whatever the number of accounts.
data "smartag_online_clients" "gateway" {
  smartag_id = var.smartag_id
}

locals {
  audit = data.smartag_online_clients.gateway

  # Sessions older than this instant have been online too long.
  too_long_before = timeadd(plantimestamp(), "-${var.max_session_hours}h")

  enabled = { for u in local.audit.users : u.user_name => u.enabled }

  # One row per session, in the data source's order (user, then online time).
  sessions = [
    for c in local.audit.clients : {
      user         = c.user_name
      client_ip    = c.client_ip
      online_since = c.online_since
      # Terraform has no cidrcontains(): an address is in a range when both
      # have the same network address at the range's prefix length.
      allowed = anytrue([
        for cidr in var.allowed_cidrs :
        strcontains(c.client_ip, ":") != strcontains(cidr, ":") ? false :
        cidrhost("${c.client_ip}/${split("/", cidr)[1]}", 0) == cidrhost(cidr, 0)
      ])
      too_long = c.online_since == null ? false : timecmp(c.online_since, local.too_long_before) < 0
      disabled = !local.enabled[c.user_name]
    }
  ]

  outside_allowed_ranges = [for s in local.sessions : "${s.user} from ${s.client_ip} since ${s.online_since}" if !s.allowed]
  online_too_long        = [for s in local.sessions : "${s.user} from ${s.client_ip} since ${s.online_since}" if s.too_long]
  disabled_online        = [for s in local.sessions : "${s.user} from ${s.client_ip} since ${s.online_since}" if s.disabled]
  too_many_sessions = [
    for u in local.audit.users : "${u.user_name} (${u.online_count} sessions)"
    if u.online_count > var.max_sessions_per_account
  ]
}

# Policy checks: a failed assertion is a warning in plan and apply, so the
# audit still runs; use a precondition instead to stop a run.
check "clients_in_allowed_ranges" {
  assert {
    condition     = length(local.outside_allowed_ranges) == 0
    error_message = "Clients online from outside ${join(", ", var.allowed_cidrs)}: ${join("; ", local.outside_allowed_ranges)}."
  }
}

check "sessions_not_too_long" {
  assert {
    condition     = length(local.online_too_long) == 0
    error_message = "Clients online for more than ${var.max_session_hours} hours: ${join("; ", local.online_too_long)}."
  }
}

check "disabled_accounts_offline" {
  assert {
    condition     = length(local.disabled_online) == 0
    error_message = "Disabled accounts online: ${join("; ", local.disabled_online)}."
  }
}

check "sessions_per_account" {
  assert {
    condition     = length(local.too_many_sessions) == 0
    error_message = "Accounts with more than ${var.max_sessions_per_account} sessions: ${join("; ", local.too_many_sessions)}."
  }
}
