provider "smartag" {
  region = "cn-shanghai"

  # Every request goes here instead of https://smartag.cn-shanghai.aliyuncs.com,
  # whatever the region.
  endpoint = "https://smartag.egress-proxy.example.internal:8443"
}
