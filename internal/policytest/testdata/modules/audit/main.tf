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

data "smartag_online_clients" "gateway" {
  smartag_id = var.smartag_id
}

module "alice" {
  source = "./alice"

  smartag_id = var.smartag_id
}
