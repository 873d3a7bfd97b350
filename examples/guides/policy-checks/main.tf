# Policy checks on who is online: check blocks that warn, and a precondition
# that stops a run. The same rules, as OPA policies on the plan JSON, are in
# examples/policies.

terraform {
  required_version = ">= 1.5" # check blocks, plantimestamp(), strcontains()
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

variable "smartag_id" {
  description = "The SAG app instance to check."
  type        = string
  default     = "sag-sample0shanghai01"
}

variable "allowed_cidrs" {
  description = "Address ranges clients may connect from."
  type        = list(string)
  default     = ["10.10.0.0/16"]
}

variable "max_session_hours" {
  description = "How long a client may stay online."
  type        = number
  default     = 12
}

variable "max_sessions_per_account" {
  description = "How many sessions one account may have online at once."
  type        = number
  default     = 2
}

variable "break_glass_user" {
  description = "An emergency account that should be offline unless an incident is open."
  type        = string
  default     = "carol"
}

variable "maintenance_window" {
  description = "Set to a change ID to start maintenance; the run then stops while anyone is online."
  type        = string
  default     = null
}

provider "smartag" {
  region = "cn-shanghai"
}

# Every account of the instance, and every session online.
data "smartag_online_clients" "gateway" {
  smartag_id = var.smartag_id
}

locals {
  # Sessions that started before this instant have been online too long.
  too_long_before = timeadd(plantimestamp(), "-${var.max_session_hours}h")

  enabled = { for u in data.smartag_online_clients.gateway.users : u.user_name => u.enabled }

  # One row per session, sorted by user and online time.
  sessions = [
    for c in data.smartag_online_clients.gateway.clients : {
      user         = c.user_name
      client_ip    = c.client_ip
      online_since = c.online_since
      # Terraform has no cidrcontains(): an address is in a range when
      # both have the same network address at the range's prefix length.
      # Addresses of the other IP family are never in the range.
      allowed = anytrue([
        for cidr in var.allowed_cidrs :
        strcontains(c.client_ip, ":") != strcontains(cidr, ":") ? false :
        cidrhost("${c.client_ip}/${split("/", cidr)[1]}", 0) == cidrhost(cidr, 0)
      ])
      # online_since is null when the API's OnlineTime is not unix seconds.
      too_long = c.online_since == null ? false : timecmp(c.online_since, local.too_long_before) < 0
      disabled = !local.enabled[c.user_name]
    }
  ]

  outside_allowed_ranges = [for s in local.sessions : "${s.user} from ${s.client_ip} since ${s.online_since}" if !s.allowed]
  online_too_long        = [for s in local.sessions : "${s.user} from ${s.client_ip} since ${s.online_since}" if s.too_long]
  disabled_online        = [for s in local.sessions : "${s.user} from ${s.client_ip} since ${s.online_since}" if s.disabled]
  too_many_sessions = [
    for u in data.smartag_online_clients.gateway.users : "${u.user_name} (${u.online_count} sessions)"
    if u.online_count > var.max_sessions_per_account
  ]
}

# A failed assertion is a warning: plan and apply go on.
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
    error_message = "Accounts with more than ${var.max_sessions_per_account} sessions online: ${join("; ", local.too_many_sessions)}."
  }
}

# A data source scoped to a check: if reading it fails, that too is only a
# warning. user_names limits the audit to one account.
check "break_glass_account_offline" {
  data "smartag_online_clients" "break_glass" {
    smartag_id = var.smartag_id
    user_names = [var.break_glass_user]
  }

  assert {
    condition     = length(data.smartag_online_clients.break_glass.clients) == 0
    error_message = "The break-glass account ${var.break_glass_user} is online from ${join(", ", data.smartag_online_clients.break_glass.client_ips)}."
  }
}

# A precondition is an error: the run stops. Resources of the maintenance
# change depend on this gate, so none of them changes while anyone is online.
resource "terraform_data" "maintenance_gate" {
  count = var.maintenance_window == null ? 0 : 1

  input = var.maintenance_window

  lifecycle {
    precondition {
      condition     = length(local.sessions) == 0
      error_message = "Maintenance ${var.maintenance_window} must wait: ${length(local.sessions)} clients are online (${join("; ", [for s in local.sessions : "${s.user} from ${s.client_ip}"])})."
    }
  }
}

output "policy_violations" {
  description = "Sessions and accounts that break a policy, for scripts."
  value = {
    outside_allowed_ranges = local.outside_allowed_ranges
    online_too_long        = local.online_too_long
    disabled_online        = local.disabled_online
    too_many_sessions      = local.too_many_sessions
  }
}
