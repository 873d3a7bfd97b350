# On an ECS instance with the RAM role "terraform-runner" attached, and no
# access key or CLI profile configured for Terraform.
provider "smartag" {
  region        = "cn-shanghai"
  ecs_role_name = "terraform-runner"
}
