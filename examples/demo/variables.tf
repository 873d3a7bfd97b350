variable "endpoint" {
  type        = string
  default     = null
  description = "The Smartag endpoint; make demo sets it to the mock's address. Null means the real regional endpoint."
}

variable "smartag_id" {
  type        = string
  default     = "sag-sample0shanghai01"
  description = "The SAG instance to audit. The default is the mock's sample instance."
}

# The limits below are those of examples/policies/data.json, so the check
# blocks and the OPA policies agree.

variable "allowed_cidrs" {
  type        = list(string)
  default     = ["10.10.0.0/16"]
  description = "Address ranges clients may connect from."
}

variable "max_session_hours" {
  type        = number
  default     = 12
  description = "How long a client may stay online before the check warns."
}

variable "max_sessions_per_account" {
  type        = number
  default     = 2
  description = "How many sessions one account may have online at once."
}
