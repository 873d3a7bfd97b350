# Disables the account frank: it can no longer sign in. Nothing happens
# until it is invoked:
#   terraform apply -invoke=action.smartag_disable_client_user.frank
action "smartag_disable_client_user" "frank" {
  config {
    smartag_id = "sag-wfjgn0abcde12345"
    user_name  = "frank"
    region     = "cn-shanghai" # defaults to the provider's region
  }
}
