# Two functions from one artifact (README "Deploy"):
#  - switchguard-http:  HTTP function, runtime "http", the zip's `bootstrap` starts the JVM on 127.0.0.1:8000.
#                       Behind API Gateway for manual /swap, /switch-vip, /failover, /status, /actions ...
#  - switchguard-check: event function from the container image (port 8000, uid 1003); the timer POSTs its
#                       event to /invoke, which runs one check cycle. HTTP functions take only API Gateway
#                       triggers, hence the second function.
# Both run in FaaS mode and get the agency's temporary AK/SK/token per invocation (X-CFF-* headers).

locals {
  # Plain configuration, visible in the console. switchguard.* keys as environment variables.
  environment = merge({
    SWITCHGUARD_CLOUD_PROVIDER = "huaweicloud"
    SWITCHGUARD_STORE_URL      = var.store_url
    SWITCHGUARD_STORE_USERNAME = var.store_username
  }, local.target_environment)

  # targets = { orderscache = { kind = "dcs", "project-id" = "...", "instance-id" = "..." } } becomes
  # SWITCHGUARD_TARGETS_ORDERSCACHE_KIND, SWITCHGUARD_TARGETS_ORDERSCACHE_PROJECT_ID, ...
  target_environment = merge([
    for name, settings in var.targets : {
      for key, value in settings :
      upper("SWITCHGUARD_TARGETS_${name}_${replace(replace(key, "-", "_"), ".", "_")}") => value
    }
  ]...)

  # Secrets come from CSMS and travel as encrypted environment variables, never in plain user_data.
  secret_environment = {
    SWITCHGUARD_API_KEYS       = data.huaweicloud_csms_secret_version.api_keys.secret_text
    SWITCHGUARD_STORE_PASSWORD = data.huaweicloud_csms_secret_version.store_password.secret_text
  }
}

data "huaweicloud_csms_secret_version" "api_keys" {
  secret_name = var.secret_api_keys
}

data "huaweicloud_csms_secret_version" "store_password" {
  secret_name = var.secret_store_password
}

# The agency FunctionGraph assumes: its temporary credentials sign every cloud call of an invocation.
resource "huaweicloud_identity_agency" "switchguard" {
  name                   = "${var.name}-functions"
  description            = "switchguard: DCS/DRS/DWS switchover and status, SMN notifications"
  delegated_service_name = "op_svc_cff"

  project_role {
    project = var.region
    roles   = var.agency_roles
  }
}

resource "huaweicloud_fgs_function" "http" {
  name                  = "${var.name}-http"
  app                   = "default"
  description           = "switchguard functions for manual calls (API Gateway)"
  runtime               = "http"
  handler               = "bootstrap"
  code_type             = "obs"
  code_url              = var.bundle_obs_url
  memory_size           = var.memory_mb
  timeout               = 120
  agency                = huaweicloud_identity_agency.switchguard.name
  functiongraph_version = "v2"
  user_data             = jsonencode(local.environment)
  encrypted_user_data   = jsonencode(local.secret_environment)
  vpc_id                = var.vpc_id != "" ? var.vpc_id : null
  network_id            = var.subnet_id != "" ? var.subnet_id : null
}

resource "huaweicloud_fgs_function" "check" {
  name                  = "${var.name}-check"
  app                   = "default"
  description           = "switchguard check cycle, run by the timer through POST /invoke"
  runtime               = "Custom Image"
  code_type             = "Custom-Image-Swr"
  handler               = "-"
  memory_size           = var.memory_mb
  timeout               = 60
  agency                = huaweicloud_identity_agency.switchguard.name
  functiongraph_version = "v2"
  # One check cycle at a time is enough; a second timer firing while one runs waits.
  max_instance_num    = "1"
  user_data           = jsonencode(local.environment)
  encrypted_user_data = jsonencode(local.secret_environment)
  vpc_id              = var.vpc_id != "" ? var.vpc_id : null
  network_id          = var.subnet_id != "" ? var.subnet_id : null

  custom_image {
    url = var.image_url
  }
}

resource "huaweicloud_fgs_function_trigger" "timer" {
  function_urn = huaweicloud_fgs_function.check.urn
  type         = "TIMER"
  status       = "ACTIVE"
  event_data = jsonencode({
    name          = "${var.name}-check"
    schedule_type = var.check_schedule_type
    schedule      = var.check_schedule
    user_event    = "switchguard check cycle"
  })
}

# API Gateway (dedicated) in front of the HTTP function. switchguard checks its own bearer key, so the
# gateway does not authenticate again (auth NONE); it must forward the Authorization header untouched.
resource "huaweicloud_fgs_function_trigger" "api" {
  function_urn = huaweicloud_fgs_function.http.urn
  type         = "DEDICATEDGATEWAY"
  status       = "ACTIVE"
  event_data = jsonencode({
    name         = replace("${var.name}_api", "-", "_")
    instance_id  = var.apig_instance_id
    group_id     = var.apig_group_id
    env_name     = "RELEASE"
    auth         = "NONE"
    protocol     = "HTTPS"
    path         = "/"
    match_mode   = "PREFIX"
    req_method   = "ANY"
    backend_type = "FUNCTION"
    type         = 1
    timeout      = 60000
  })
}
