# From audit to remediation: read every account and session of an instance,
# name the disabled accounts that are still online, and act on one of them
# with the provider's actions. Reading changes nothing; the actions run
# only when invoked (Terraform 1.14 or later):
#
#   terraform apply -invoke=action.smartag_kick_out_clients.remediate
#   terraform apply -invoke=action.smartag_disable_client_user.remediate

terraform {
  required_version = ">= 1.14" # action blocks
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

variable "smartag_id" {
  description = "The SAG app instance to audit."
  type        = string
  default     = "sag-sample0shanghai01"
}

variable "remediate_user" {
  description = "The account the actions act on: one that the audit named."
  type        = string
  default     = "frank"
}

# The audit: every account with its state, every session online.
data "smartag_online_clients" "audit" {
  smartag_id = var.smartag_id
}

locals {
  enabled = { for u in data.smartag_online_clients.audit.users : u.user_name => u.enabled }

  # Disabled accounts that still have a session: disabling an account does
  # not end the sessions it already has.
  disabled_online = sort(distinct([
    for c in data.smartag_online_clients.audit.clients : c.user_name if !local.enabled[c.user_name]
  ]))
  disabled_sessions = [
    for c in data.smartag_online_clients.audit.clients :
    "${c.user_name} from ${c.client_ip} since ${c.online_since}" if !local.enabled[c.user_name]
  ]
}

# The check: a warning in every plan and apply while the audit finds any.
check "disabled_accounts_offline" {
  assert {
    condition     = length(local.disabled_sessions) == 0
    error_message = "Disabled accounts online: ${join("; ", local.disabled_sessions)}."
  }
}

output "disabled_online" {
  description = "The disabled accounts with a session: candidates for remediate_user."
  value       = local.disabled_online
}

# The remediation, for the account in var.remediate_user.
action "smartag_kick_out_clients" "remediate" {
  config {
    smartag_id = var.smartag_id
    user_name  = var.remediate_user
  }
}

action "smartag_disable_client_user" "remediate" {
  config {
    smartag_id = var.smartag_id
    user_name  = var.remediate_user
  }
}

# The way back, if an account was disabled by mistake.
action "smartag_enable_client_user" "remediate" {
  config {
    smartag_id = var.smartag_id
    user_name  = var.remediate_user
  }
}
