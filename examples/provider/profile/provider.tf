provider "smartag" {
  # A profile written by `aliyun configure --profile smartag-audit`. Its
  # region_id is used because no region is set here.
  profile = "smartag-audit"

  # Only needed for a file other than ~/.aliyun/config.json; a leading ~
  # is expanded.
  shared_credentials_file = "~/.aliyun/audit.json"
}
