# bob's one session breaks no rule.
data "smartag_user_online_clients" "bob" {
  smartag_id = var.smartag_id
  user_name  = "bob"
}
