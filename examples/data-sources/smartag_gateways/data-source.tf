# Every SAG instance of the provider's region.
data "smartag_gateways" "all" {}

# Audit each of them.
data "smartag_online_clients" "each" {
  for_each   = toset(data.smartag_gateways.all.ids)
  smartag_id = each.value
}

output "sessions_per_gateway" {
  value = { for id, audit in data.smartag_online_clients.each : id => length(audit.clients) }
}
