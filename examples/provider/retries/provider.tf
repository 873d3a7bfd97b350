provider "smartag" {
  region = "cn-shanghai"

  max_retries            = 8     # up to 9 attempts per read (default 5)
  client_read_timeout    = 20000 # ms per attempt (default 10000)
  client_connect_timeout = 3000  # ms to connect (default 5000)
}

data "smartag_user_online_clients" "alice" {
  smartag_id = "sag-sample0shanghai01"
  user_name  = "alice"

  timeouts {
    read = "5m" # the whole read, retries included (default 2m)
  }
}
