# The gateway ID is known only after apply, so both reads wait for apply and
# the plan holds no answer to check.
resource "terraform_data" "gateway" {
  input = var.smartag_id
}

data "smartag_online_clients" "later" {
  smartag_id = terraform_data.gateway.output
}

data "smartag_user_online_clients" "later" {
  smartag_id = terraform_data.gateway.output
  user_name  = "alice"
}
