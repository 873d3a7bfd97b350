# Who is online in several Alibaba Cloud accounts: one provider configuration
# per account, each assuming an auditor role there, and a whole-instance
# audit in each.

terraform {
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

variable "user_name" {
  description = "A client user to find across the accounts."
  type        = string
  default     = "alice"
}

variable "production" {
  description = "The production account: the role to assume there, and its SAG app instance."
  type = object({
    role_arn    = string
    external_id = string
    region      = string
    smartag_id  = string
  })
  default = {
    role_arn    = "acs:ram::1234567890123456:role/smartag-auditor"
    external_id = "smartag-audit-production"
    region      = "cn-shanghai"
    smartag_id  = "sag-sample0shanghai01"
  }
}

variable "staging" {
  description = "The staging account: the role to assume there, and its SAG app instance."
  type = object({
    role_arn    = string
    external_id = string
    region      = string
    smartag_id  = string
  })
  default = {
    role_arn    = "acs:ram::6543210987654321:role/smartag-auditor"
    external_id = "smartag-audit-staging"
    region      = "cn-hongkong"
    smartag_id  = "sag-sample0hongkong1"
  }
}

# The credentials found in the environment (or a CLI profile, or an ECS
# role) belong to the auditing account; each configuration uses them to
# assume the auditor role of one audited account.
provider "smartag" {
  alias  = "production"
  region = var.production.region

  assume_role {
    role_arn     = var.production.role_arn
    external_id  = var.production.external_id
    session_name = "smartag-audit-production"
  }
}

provider "smartag" {
  alias  = "staging"
  region = var.staging.region

  assume_role {
    role_arn     = var.staging.role_arn
    external_id  = var.staging.external_id
    session_name = "smartag-audit-staging"
  }
}

# Every account and session of each audited account's instance.
data "smartag_online_clients" "production" {
  provider = smartag.production

  smartag_id = var.production.smartag_id
}

data "smartag_online_clients" "staging" {
  provider = smartag.staging

  smartag_id = var.staging.smartag_id
}

locals {
  accounts = {
    production = { config = var.production, result = data.smartag_online_clients.production }
    staging    = { config = var.staging, result = data.smartag_online_clients.staging }
  }
}

output "online_across_accounts" {
  description = "Who is online, per Alibaba Cloud account."
  value = {
    for name, a in local.accounts : name => {
      # acs:ram::<account-id>:role/<name>
      account_id     = split(":", a.config.role_arn)[3]
      smartag_id     = a.config.smartag_id
      online_users   = [for u in a.result.users : u.user_name if u.online_count > 0]
      sessions       = length(a.result.clients)
      disabled_users = [for u in a.result.users : u.user_name if !u.enabled]
    }
  }
}

output "user_across_accounts" {
  description = "Where var.user_name is online: the client addresses per account (empty where the user is offline or unknown)."
  value = {
    for name, a in local.accounts : name => [
      for c in a.result.clients : c.client_ip if c.user_name == var.user_name
    ]
  }
}
