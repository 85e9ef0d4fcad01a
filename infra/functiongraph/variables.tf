variable "region" {
  description = "Region of the functions and of the watched deployments, e.g. eu-west-101."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "switchguard"
}

variable "bundle_obs_url" {
  description = "OBS URL of target/switchguard-functiongraph.zip (uploaded by the release job), for the HTTP function."
  type        = string
}

variable "image_url" {
  description = "SWR URL of the image built from infra/container/Dockerfile, for the timer's event function."
  type        = string
}

variable "check_schedule" {
  description = "How often the timer runs a check cycle: a FunctionGraph rate (1m..60m, 1h..24h) or '@every 30s' with schedule_type Cron."
  type        = string
  default     = "1m"
}

variable "check_schedule_type" {
  description = "Rate or Cron."
  type        = string
  default     = "Rate"

  validation {
    condition     = contains(["Rate", "Cron"], var.check_schedule_type)
    error_message = "check_schedule_type must be Rate or Cron."
  }
}

variable "memory_mb" {
  description = "Function memory (MB). The bootstrap gives half to the heap; measured RSS is 160-200 MB."
  type        = number
  default     = 512
}

variable "store_url" {
  description = "switchguard.store.url: the shared PostgreSQL journal, jdbc:postgresql://host:5432/switchguard."
  type        = string
}

variable "store_username" {
  description = "switchguard.store.username."
  type        = string
  default     = "switchguard"
}

variable "secret_api_keys" {
  description = "Name of the CSMS secret whose value is switchguard.api.keys (comma-separated bearer keys)."
  type        = string
  default     = "switchguard-api-keys"
}

variable "secret_store_password" {
  description = "Name of the CSMS secret whose value is switchguard.store.password."
  type        = string
  default     = "switchguard-store-password"
}

variable "targets" {
  description = <<-EOT
    switchguard.targets: name => settings, keys as in the README (kind, region, project-id, instance-id, job-id,
    disaster-recovery-id, auto, cooldown, probe.redis ...). Passed as SWITCHGUARD_TARGETS_<NAME>_<KEY> variables,
    so a name here is lower-case letters and digits only (a dash would be ambiguous in a variable name).
  EOT
  type        = map(map(string))
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.targets) : can(regex("^[a-z0-9]{1,64}$", name))])
    error_message = "Target names used through environment variables must match [a-z0-9]{1,64}."
  }
}

variable "agency_roles" {
  description = "Roles the functions' agency grants in the region: what the switchover and status calls need."
  type        = list(string)
  default     = ["DCS FullAccess", "DRS FullAccess", "DWS FullAccess", "SMN FullAccess"]
}

variable "apig_instance_id" {
  description = "Dedicated API Gateway instance that exposes the HTTP function."
  type        = string
}

variable "apig_group_id" {
  description = "API group on that gateway."
  type        = string
}

variable "vpc_id" {
  description = "VPC from which the functions reach the store and the data plane probes (empty: no VPC access)."
  type        = string
  default     = ""
}

variable "subnet_id" {
  description = "Subnet (network ID) in that VPC."
  type        = string
  default     = ""
}
