variable "sts_credentials" {
  description = "Temporary credentials: AccessKey ID (STS.…), secret and security token."
  type = object({
    access_key_id     = string
    access_key_secret = string
    security_token    = string
  })
  sensitive = true
}

provider "smartag" {
  region         = "cn-shanghai"
  access_key     = var.sts_credentials.access_key_id
  secret_key     = var.sts_credentials.access_key_secret
  security_token = var.sts_credentials.security_token
}
