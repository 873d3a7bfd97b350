variable "access_key" {
  type      = string
  sensitive = true
}

variable "secret_key" {
  type      = string
  sensitive = true
}

provider "smartag" {
  region     = "cn-shanghai"
  access_key = var.access_key
  secret_key = var.secret_key
}
