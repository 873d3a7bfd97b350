# Who is connected to the SAG app instance as "alice" right now.
data "smartag_user_online_clients" "alice" {
  smartag_id = "sag-sample0shanghai01"
  user_name  = "alice"
}

output "alice_online" {
  description = "alice's clients: IP address and since when (UTC)."
  value = {
    for c in data.smartag_user_online_clients.alice.clients : c.client_ip => c.online_since
  }
}
