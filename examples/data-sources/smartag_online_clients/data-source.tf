# Who is online on the whole SAG app instance right now, every account
# included: no list of user names to keep up to date.
data "smartag_online_clients" "hq" {
  smartag_id = "sag-sample0shanghai01"
}

output "sessions" {
  description = "Every online session: account, address and since when (UTC)."
  value = [
    for c in data.smartag_online_clients.hq.clients : "${c.user_name} ${c.client_ip} since ${c.online_since}"
  ]
}

output "accounts_online" {
  description = "How many sessions each account has open."
  value = {
    for u in data.smartag_online_clients.hq.users : u.user_name => u.online_count if u.online_count > 0
  }
}
