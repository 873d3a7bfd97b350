# Ends every session of the account frank. Nothing happens until it is
# invoked:
#   terraform apply -invoke=action.smartag_kick_out_clients.frank
action "smartag_kick_out_clients" "frank" {
  config {
    smartag_id = "sag-wfjgn0abcde12345"
    user_name  = "frank"
  }
}
