output "online_table" {
  description = "Who is online since when, as a table."
  value = join("\n", concat(
    [format("%-8s %-16s %-22s %s", "USER", "CLIENT IP", "ONLINE SINCE (UTC)", "FLAGS")],
    [for s in local.sessions : format("%-8s %-16s %-22s %s", s.user, s.client_ip, s.online_since,
    join(",", compact([s.allowed ? "" : "outside-range", s.too_long ? "too-long" : ""])))],
    [for u in sort(var.user_names) : format("%-8s %s", u, "(nobody online)") if length(data.smartag_user_online_clients.user[u].clients) == 0],
  ))
}

output "audit_report" {
  description = "A JSON audit report: one entry per user, with the API's request ID for traceability."
  value = jsonencode({
    generated_at = plantimestamp()
    smartag_id   = var.smartag_id
    users = {
      for u in sort(var.user_names) : u => {
        request_id = data.smartag_user_online_clients.user[u].request_id
        online     = length(data.smartag_user_online_clients.user[u].clients)
        clients    = data.smartag_user_online_clients.user[u].clients
      }
    }
    violations = {
      outside_allowed_ranges = local.outside_allowed_ranges
      online_too_long        = local.online_too_long
    }
  })
}

output "policy_violations" {
  description = "Sessions that break a policy check."
  value = {
    outside_allowed_ranges = local.outside_allowed_ranges
    online_too_long        = local.online_too_long
  }
}
