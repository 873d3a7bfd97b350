# Only the active branch gateways of Hong Kong.
data "smartag_gateways" "branches" {
  region     = "cn-hongkong"
  name_regex = "^branch-"
  status     = "Active"
}

output "branches" {
  value = {
    for g in data.smartag_gateways.branches.gateways : g.smartag_id => "${g.name} (${g.user_count} accounts, created ${g.create_time})"
  }
}
