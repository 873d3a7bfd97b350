variable "external_id" {
  description = "The external ID that the role's trust policy requires."
  type        = string
  sensitive   = true
}

# The credentials found first (environment, CLI profile or ECS role) call STS
# AssumeRole; the role's temporary credentials then sign every Smartag request.
provider "smartag" {
  region = "cn-shanghai"

  assume_role {
    role_arn           = "acs:ram::1234567890123456:role/smartag-auditor"
    session_name       = "terraform-smartag-audit"
    session_expiration = 900
    external_id        = var.external_id
  }
}
