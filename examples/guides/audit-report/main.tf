# Audit report: who is online on several SAG app instances, as one JSON
# document with the API request ID of every lookup.

terraform {
  required_version = ">= 1.5" # plantimestamp()
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

variable "instances" {
  description = "The SAG app instances to audit, by ID: their region and the client users to look up."
  type = map(object({
    region = string
    users  = list(string)
  }))
  default = {
    "sag-sample0shanghai01" = {
      region = "cn-shanghai"
      users  = ["alice", "bob", "carol", "dave"]
    }
    "sag-sample0hongkong1" = {
      region = "cn-hongkong"
      users  = ["erin"]
    }
  }
}

# Credentials and, if needed, the endpoint come from the environment. Each
# lookup names its own region.
provider "smartag" {}

locals {
  # One lookup per instance and user, keyed "<smartag_id>/<user_name>".
  lookups = merge([
    for id, instance in var.instances : {
      for user in instance.users : "${id}/${user}" => {
        smartag_id = id
        region     = instance.region
        user_name  = user
      }
    }
  ]...)

  # One row per online client, in a stable order: by lookup key, then as
  # the API listed them.
  sessions = flatten([
    for key in sort(keys(local.lookups)) : [
      for c in data.smartag_user_online_clients.this[key].clients : {
        smartag_id   = local.lookups[key].smartag_id
        region       = local.lookups[key].region
        user_name    = local.lookups[key].user_name
        client_ip    = c.client_ip
        online_since = c.online_since
        request_id   = data.smartag_user_online_clients.this[key].request_id
      }
    ]
  ])

  report = {
    generated_at = plantimestamp()
    instances = {
      for id, instance in var.instances : id => {
        region = instance.region
        users = {
          for user in instance.users : user => {
            request_id = data.smartag_user_online_clients.this["${id}/${user}"].request_id
            online     = length(data.smartag_user_online_clients.this["${id}/${user}"].clients)
            clients = [
              for c in data.smartag_user_online_clients.this["${id}/${user}"].clients : {
                client_ip    = c.client_ip
                online_since = c.online_since
              }
            ]
          }
        }
      }
    }
  }
}

data "smartag_user_online_clients" "this" {
  for_each = local.lookups

  region     = each.value.region
  smartag_id = each.value.smartag_id
  user_name  = each.value.user_name
}

output "audit_report" {
  description = "Who is online, per instance and user, with the request ID of each lookup."
  value       = local.report
}

output "sessions" {
  description = "One entry per online client."
  value       = local.sessions
}

output "sessions_csv" {
  description = "One CSV line per online client, with a header line."
  value = join("\n", concat(
    ["smartag_id,region,user_name,client_ip,online_since,request_id"],
    [
      for s in local.sessions : join(",", [
        s.smartag_id, s.region, s.user_name, s.client_ip, s.online_since == null ? "" : s.online_since, s.request_id,
      ])
    ],
  ))
}
