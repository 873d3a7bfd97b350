# Several users of one instance, and one user of an instance in another region.
data "smartag_user_online_clients" "shanghai" {
  for_each = toset(["alice", "bob", "carol"])

  smartag_id = "sag-sample0shanghai01"
  user_name  = each.key
}

data "smartag_user_online_clients" "erin" {
  region     = "cn-hongkong" # overrides the provider's region
  smartag_id = "sag-sample0hongkong1"
  user_name  = "erin"

  timeouts {
    read = "5m" # default 2m, retries included
  }
}

output "online_count" {
  description = "How many clients each user has online; 0 when nobody is."
  value = merge(
    { for user, d in data.smartag_user_online_clients.shanghai : user => length(d.clients) },
    { erin = length(data.smartag_user_online_clients.erin.clients) },
  )
}
