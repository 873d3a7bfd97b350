output "online_table" {
  description = "Every session of the instance, as a table, then the accounts with nobody online."
  value = join("\n", concat(
    [format("%-8s %-16s %-22s %s", "USER", "CLIENT IP", "ONLINE SINCE (UTC)", "FLAGS")],
    [for s in local.sessions : format("%-8s %-16s %-22s %s", s.user, s.client_ip, s.online_since,
    join(",", compact([s.allowed ? "" : "outside-range", s.too_long ? "too-long" : "", s.disabled ? "disabled" : ""])))],
    [for u in local.audit.users : format("%-8s %s", u.user_name, "(nobody online)") if u.online_count == 0],
  ))
}

output "audit_report" {
  description = "A JSON audit report: every account with its state and sessions, and the violations."
  value = jsonencode({
    generated_at = plantimestamp()
    smartag_id   = local.audit.smartag_id
    accounts = {
      for u in local.audit.users : u.user_name => {
        user_mail      = u.user_mail
        enabled        = u.enabled
        bandwidth_kbps = u.bandwidth_kbps
        online         = u.online_count
        clients = [
          for c in local.audit.clients : { client_ip = c.client_ip, online_since = c.online_since }
          if c.user_name == u.user_name
        ]
      }
    }
    violations = {
      outside_allowed_ranges = local.outside_allowed_ranges
      online_too_long        = local.online_too_long
      disabled_online        = local.disabled_online
      too_many_sessions      = local.too_many_sessions
    }
  })
}

output "policy_violations" {
  description = "Sessions and accounts that break a policy check."
  value = {
    outside_allowed_ranges = local.outside_allowed_ranges
    online_too_long        = local.online_too_long
    disabled_online        = local.disabled_online
    too_many_sessions      = local.too_many_sessions
  }
}

output "disabled_online_accounts" {
  description = "The disabled accounts with a session online: what the remediation acts on."
  value       = sort(distinct([for s in local.sessions : s.user if s.disabled]))
}
