variable "region" {
  description = "Region of the functions and of the watched deployments, e.g. eu-west-101."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "switchguard"
}

variable "provider_name" {
  description = "switchguard.cloud.provider: huaweicloud or otc. Never sandbox here."
  type        = string
  default     = "huaweicloud"

  validation {
    condition     = contains(["huaweicloud", "otc"], var.provider_name)
    error_message = "provider_name must be huaweicloud or otc."
  }
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
  description = "Function memory (MB). The heap is half of it (the image pins -Xmx256m); measured RSS is 160-200 MB."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_mb >= 512
    error_message = "memory_mb must be at least 512: the image's heap is 256 MB."
  }
}

variable "http_timeout_seconds" {
  description = <<-EOT
    Timeout of the HTTP function, and (in ms) the gateway's backend timeout for it. A dedicated gateway answers a
    synchronous backend within 60 s unless its backend_timeout parameter was raised, so 60 at most here.
  EOT
  type        = number
  default     = 60

  validation {
    condition     = var.http_timeout_seconds >= 3 && var.http_timeout_seconds <= 60
    error_message = "http_timeout_seconds must be within 3..60 (FunctionGraph minimum, API Gateway's synchronous limit)."
  }
}

variable "verify_timeout_seconds" {
  description = "switchguard.switchover.verify-timeout: how long a synchronous /swap waits for verification."
  type        = number
  default     = 30
}

variable "check_timeout_seconds" {
  description = "Timeout of the timer's check function (one check cycle, automatic switchovers included)."
  type        = number
  default     = 120

  validation {
    condition     = var.check_timeout_seconds >= 3 && var.check_timeout_seconds <= 900
    error_message = "check_timeout_seconds must be within 3..900 (provider range)."
  }
}

variable "store_url" {
  description = <<-EOT
    switchguard.store.url: the shared PostgreSQL journal, jdbc:postgresql://host:5432/switchguard. Function
    instances come and go, so a per-instance H2 file would lose the journal, leases and cooldowns.
    A private PostgreSQL is reached through the VPC: vpc_id and subnet_id are then required.
  EOT
  type        = string

  validation {
    condition     = can(regex("^jdbc:postgresql://", var.store_url))
    error_message = "store_url must be a jdbc:postgresql:// URL: instances share one store."
  }
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
    disaster-recovery-id, auto, cooldown, probe.redis ...); region defaults to var.region. Passed as SWITCHGUARD_TARGETS_<NAME>_<KEY> variables,
    so a name here is lower-case letters and digits only (a dash would be ambiguous in a variable name).
  EOT
  type        = map(map(string))
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.targets) : can(regex("^[a-z0-9]{1,64}$", name))])
    error_message = "Target names used through environment variables must match [a-z0-9]{1,64}."
  }
}

variable "extra_app_actions" {
  description = "Further IAM actions for the app agency's custom role, if a region names an action differently."
  type        = list(string)
  default     = []
}

variable "platform_agency_roles" {
  description = "System roles of the platform agency FunctionGraph uses to pull the image (SWR) and attach the VPC."
  type        = list(string)
  default     = ["SWR Admin", "VPC Administrator"]
}

variable "apig_instance_id" {
  description = "Dedicated API Gateway instance that exposes the HTTP function."
  type        = string
}

variable "apig_group_id" {
  description = "API group on that gateway."
  type        = string
}

variable "apig_env_id" {
  description = "ID of the environment the API is published to (required by the trigger)."
  type        = string
}

variable "apig_env_name" {
  description = "Name of that environment."
  type        = string
  default     = "RELEASE"
}

variable "apig_auth" {
  description = <<-EOT
    Gateway authentication before switchguard's own bearer key: IAM (callers send an IAM token in X-Auth-Token,
    leaving Authorization to the bearer key), APP, or NONE (the bearer key alone; see README "Deploy").
  EOT
  type        = string
  default     = "IAM"

  validation {
    condition     = contains(["IAM", "APP", "NONE"], var.apig_auth)
    error_message = "apig_auth must be IAM, APP or NONE."
  }
}

variable "apig_api_type" {
  description = "1: public API, 2: private API."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2], var.apig_api_type)
    error_message = "apig_api_type must be 1 (public) or 2 (private)."
  }
}

variable "vpc_id" {
  description = "VPC from which the functions reach the PostgreSQL store and the data plane probes (required)."
  type        = string
}

variable "subnet_id" {
  description = "Subnet (network ID) in that VPC."
  type        = string

  validation {
    condition     = var.subnet_id != ""
    error_message = "subnet_id is required: the functions reach the PostgreSQL store through the VPC."
  }
}
