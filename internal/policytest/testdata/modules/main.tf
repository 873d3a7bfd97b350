# The audit inside modules: Terraform lists the data sources under
# prior_state's child_modules, at any depth.
module "audit" {
  source = "./audit"

  smartag_id = var.smartag_id
}
