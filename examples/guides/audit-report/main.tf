# Audit report: who is online on every SAG instance of several regions, as
# one JSON document and a CSV file. No user name needs to be known in
# advance: smartag_gateways lists the instances, smartag_online_clients
# every account and session of each.

terraform {
  required_version = ">= 1.5" # plantimestamp()
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

variable "regions" {
  description = "The regions whose SAG instances to audit."
  type        = set(string)
  default     = ["cn-shanghai", "cn-hongkong"]
}

variable "name_regex" {
  description = "Audit only the instances whose name matches this RE2 expression; null audits them all."
  type        = string
  default     = null
}

# Credentials and, if needed, the endpoint come from the environment. Each
# data source names its own region.
provider "smartag" {}

# Every instance of each region.
data "smartag_gateways" "region" {
  for_each = var.regions

  region     = each.key
  name_regex = var.name_regex
}

locals {
  # Every instance found, keyed by ID, with its region.
  gateways = merge([
    for region, found in data.smartag_gateways.region : {
      for g in found.gateways : g.smartag_id => merge(g, { region = region })
    }
  ]...)
}

# Every account and every online session of each instance: a few requests
# per instance, whatever its number of accounts.
data "smartag_online_clients" "gateway" {
  for_each = local.gateways

  region     = each.value.region
  smartag_id = each.key
}

locals {
  # One row per online session: by instance ID, then user and online time.
  sessions = flatten([
    for id in sort(keys(local.gateways)) : [
      for c in data.smartag_online_clients.gateway[id].clients : {
        smartag_id   = id
        gateway_name = local.gateways[id].name
        region       = local.gateways[id].region
        user_name    = c.user_name
        client_ip    = c.client_ip
        online_since = c.online_since
      }
    ]
  ])

  report = {
    generated_at = plantimestamp()
    gateways = {
      for id, g in local.gateways : id => {
        name       = g.name
        region     = g.region
        status     = g.status
        cidr_block = g.cidr_block
        accounts = {
          for u in data.smartag_online_clients.gateway[id].users : u.user_name => {
            user_mail = u.user_mail
            enabled   = u.enabled
            online    = u.online_count
            clients = [
              for c in data.smartag_online_clients.gateway[id].clients : {
                client_ip    = c.client_ip
                online_since = c.online_since
              } if c.user_name == u.user_name
            ]
          }
        }
      }
    }
  }
}

output "audit_report" {
  description = "Every instance, its accounts and who is online, per account."
  value       = local.report
}

output "sessions" {
  description = "One entry per online session."
  value       = local.sessions
}

output "sessions_csv" {
  description = "One CSV line per online session, with a header line."
  value = join("\n", concat(
    ["smartag_id,gateway_name,region,user_name,client_ip,online_since"],
    [
      for s in local.sessions : join(",", [
        s.smartag_id, s.gateway_name, s.region, s.user_name, s.client_ip, s.online_since == null ? "" : s.online_since,
      ])
    ],
  ))
}
