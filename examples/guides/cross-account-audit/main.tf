# One user, looked up in several Alibaba Cloud accounts: one provider
# configuration per account, each assuming an auditor role there.

terraform {
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

variable "user_name" {
  description = "The client user to look up in every account."
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

data "smartag_user_online_clients" "production" {
  provider = smartag.production

  smartag_id = var.production.smartag_id
  user_name  = var.user_name
}

data "smartag_user_online_clients" "staging" {
  provider = smartag.staging

  smartag_id = var.staging.smartag_id
  user_name  = var.user_name
}

locals {
  accounts = {
    production = { config = var.production, result = data.smartag_user_online_clients.production }
    staging    = { config = var.staging, result = data.smartag_user_online_clients.staging }
  }
}

output "user_across_accounts" {
  description = "Where the user is online, per account."
  value = {
    for name, a in local.accounts : name => {
      # acs:ram::<account-id>:role/<name>
      account_id = split(":", a.config.role_arn)[3]
      smartag_id = a.config.smartag_id
      request_id = a.result.request_id
      client_ips = a.result.client_ips
    }
  }
}

output "online_in_accounts" {
  description = "The accounts in which the user is online now."
  value       = sort([for name, a in local.accounts : name if length(a.result.clients) > 0])
}
