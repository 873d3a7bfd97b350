# The whole-instance audit, and the same instance seen per user inside a
# check block: the plan JSON lists the scoped data source both in
# prior_state and in resource_changes, and the policies count each session
# once.
data "smartag_online_clients" "gateway" {
  smartag_id = var.smartag_id
}

check "alice_seen" {
  data "smartag_user_online_clients" "alice" {
    smartag_id = var.smartag_id
    user_name  = "alice"
  }

  assert {
    condition     = length(data.smartag_user_online_clients.alice.clients) > 0
    error_message = "alice is offline."
  }
}
