terraform {
  required_providers {
    smartag = {
      source  = "opensmartag/smartag"
      version = "~> 0.1"
    }
  }
}

# Credentials are best left out of the configuration: this provider block
# takes them from ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET, from an Alibaba Cloud CLI profile or from
# the RAM role of the ECS instance Terraform runs on (see Authentication).
provider "smartag" {
  # The region of your SAG instances. A data source can override it.
  region = "cn-shanghai"
}

# Who is connected to this SAG app instance as "alice" right now.
data "smartag_user_online_clients" "alice" {
  smartag_id = "sag-sample0shanghai01"
  user_name  = "alice"
}

output "alice_client_ips" {
  value = data.smartag_user_online_clients.alice.client_ips
}
