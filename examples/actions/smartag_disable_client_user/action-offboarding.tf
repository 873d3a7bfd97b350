# Off-boarding as part of a run: when this resource is created, frank is
# disabled, then his open sessions are ended, in that order. Later plans
# and applies leave him alone: the trigger fires on creation only.
action "smartag_kick_out_clients" "frank" {
  config {
    smartag_id = "sag-wfjgn0abcde12345"
    user_name  = "frank"
  }
}

resource "terraform_data" "offboard_frank" {
  input = "frank"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.smartag_disable_client_user.frank, action.smartag_kick_out_clients.frank]
    }
  }
}
