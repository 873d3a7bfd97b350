terraform {
  required_providers {
    smartag = {
      source = "opensmartag/smartag"
    }
  }
}

variable "endpoint" {
  type = string
}

variable "smartag_id" {
  type = string
}

# Credentials and region come from the environment.
provider "smartag" {
  endpoint = var.endpoint
}
