variable "max_session_hours" {
  type    = number
  default = 24
}

locals {
  # Sessions that started before this instant have been online too long.
  too_long_before = timeadd(plantimestamp(), "-${var.max_session_hours}h")
}

data "smartag_user_online_clients" "dave" {
  smartag_id = "sag-sample0shanghai01"
  user_name  = "dave"
}

output "dave_long_sessions" {
  description = "dave's clients online for more than max_session_hours."
  value = [
    for c in data.smartag_user_online_clients.dave.clients : c.client_ip
    # online_since is null when the API's OnlineTime is not unix seconds.
    if c.online_since == null ? false : timecmp(c.online_since, local.too_long_before) < 0
  ]
}
