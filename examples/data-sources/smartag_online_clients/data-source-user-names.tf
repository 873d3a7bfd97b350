# Audit only some accounts. A name that is not an account of the instance
# fails the read, naming it: a typo cannot pass an audit silently.
data "smartag_online_clients" "admins" {
  smartag_id = "sag-sample0shanghai01"
  user_names = ["alice", "dave"]

  timeouts {
    read = "5m"
  }
}

output "admin_addresses" {
  value = data.smartag_online_clients.admins.client_ips
}
