# The demo that `make demo` applies against the bundled mock endpoint: who is
# online on one SAG instance, an audit report, and two policy checks.

terraform {
  required_version = ">= 1.5"
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

data "smartag_user_online_clients" "user" {
  for_each = toset(var.user_names)

  smartag_id = var.smartag_id
  user_name  = each.value
}

locals {
  # Sessions older than this instant have been online too long.
  too_long_before = timeadd(plantimestamp(), "-${var.max_session_hours}h")

  # One row per online client: users in name order, clients in API order.
  sessions = flatten([
    for user in sort(var.user_names) : [
      for c in data.smartag_user_online_clients.user[user].clients : {
        user         = user
        client_ip    = c.client_ip
        online_since = c.online_since
        # An address is allowed when it falls in one of the allowed ranges.
        allowed = anytrue([
          for cidr in var.allowed_cidrs :
          cidrhost("${c.client_ip}/${split("/", cidr)[1]}", 0) == cidrhost(cidr, 0)
        ])
        too_long = timecmp(c.online_since, local.too_long_before) < 0
      }
    ]
  ])

  outside_allowed_ranges = [for s in local.sessions : "${s.user} from ${s.client_ip}" if !s.allowed]
  online_too_long        = [for s in local.sessions : "${s.user} from ${s.client_ip} since ${s.online_since}" if s.too_long]
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
