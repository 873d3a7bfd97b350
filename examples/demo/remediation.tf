# The remediation at the end of make demo: for the disabled account the
# audit found online, scripts/demo.sh invokes
#   terraform apply -invoke=action.smartag_disable_client_user.remediate -var remediate_user=NAME
#   terraform apply -invoke=action.smartag_kick_out_clients.remediate -var remediate_user=NAME
# Declared actions do nothing until invoked (Terraform 1.14 or later).

variable "remediate_user" {
  type        = string
  default     = "frank"
  description = "The account the remediation acts on; make demo sets it to each disabled account the audit found online."
}

action "smartag_disable_client_user" "remediate" {
  config {
    smartag_id = var.smartag_id
    user_name  = var.remediate_user
  }
}

action "smartag_kick_out_clients" "remediate" {
  config {
    smartag_id = var.smartag_id
    user_name  = var.remediate_user
  }
}
