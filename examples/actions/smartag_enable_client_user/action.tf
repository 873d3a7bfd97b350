# Enables the account frank again. Nothing happens until it is invoked:
#   terraform apply -invoke=action.smartag_enable_client_user.frank
action "smartag_enable_client_user" "frank" {
  config {
    smartag_id = "sag-wfjgn0abcde12345"
    user_name  = "frank"
  }
}
