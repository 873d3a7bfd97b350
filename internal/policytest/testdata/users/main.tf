# One lookup per user: that data source does not say whether an account is
# enabled, so only the other rules apply.
data "smartag_user_online_clients" "user" {
  for_each = toset(["alice", "bob", "carol", "dave", "frank"])

  smartag_id = var.smartag_id
  user_name  = each.key
}
