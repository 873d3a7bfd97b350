terraform {
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

variable "smartag_id" {
  type = string
}

data "smartag_user_online_clients" "alice" {
  smartag_id = var.smartag_id
  user_name  = "alice"
}
