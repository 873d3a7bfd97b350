# carol has no client online: the read succeeds with empty lists.
data "smartag_user_online_clients" "carol" {
  smartag_id = "sag-sample0shanghai01"
  user_name  = "carol"
}

output "carol_online" {
  value = length(data.smartag_user_online_clients.carol.clients) > 0 # false
}
