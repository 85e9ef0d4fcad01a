# Two functions from one build (README "Deploy"), checked against the huaweicloud provider ~> 1.97 documentation
# (fgs_function, fgs_function_trigger, identity_role, identity_agency) and the FunctionGraph API's trigger model:
#  - switchguard-http:  HTTP function, runtime "http", the zip's `bootstrap` starts the JVM on 127.0.0.1:8000.
#                       Behind API Gateway for manual /swap, /switch-vip, /failover, /status, /actions ...
#                       Every path needs the bearer key there, /invoke included (no event mode).
#  - switchguard-check: event function from the container image (port 8000, uid 1003); the timer POSTs its
#                       event to /invoke, which runs one check cycle. Event mode is on here only: the platform
#                       calls /init and /invoke without our key, and no public trigger reaches this function.
# Neither has static AK/SK: the app agency's temporary credentials arrive with each invocation (X-CFF-* headers;
# HTTP functions only with enable_auth_in_header) and sign that invocation's cloud calls (CONTRACT §2, §7).

locals {
  # Plain configuration, visible in the console. switchguard.* keys as environment variables.
  environment = merge({
    SWITCHGUARD_CLOUD_PROVIDER            = var.provider_name
    SWITCHGUARD_FAAS_ENABLED              = "true"
    SWITCHGUARD_STORE_URL                 = var.store_url
    SWITCHGUARD_STORE_USERNAME            = var.store_username
    SWITCHGUARD_SWITCHOVER_VERIFY_TIMEOUT = "${var.verify_timeout_seconds}s"
    # The timer's cadence: a cycle later than twice this is the checker running late (self-distrust). A Cron
    # schedule other than "@every <duration>" leaves it unset (the probe intervals are the measure then).
    SWITCHGUARD_CHECK_CYCLE_PERIOD = var.check_schedule_type == "Rate" ? var.check_schedule : (startswith(var.check_schedule, "@every ") ? trimprefix(var.check_schedule, "@every ") : "")
  }, local.target_environment)

  check_environment = merge(local.environment, { SWITCHGUARD_FAAS_EVENT_MODE = "true" })
  http_environment  = merge(local.environment, { SWITCHGUARD_FAAS_EVENT_MODE = "false" })

  # targets = { orderscache = { kind = "dcs", "project-id" = "...", "instance-id" = "..." } } becomes
  # SWITCHGUARD_TARGETS_ORDERSCACHE_KIND, SWITCHGUARD_TARGETS_ORDERSCACHE_PROJECT_ID, ...
  # The app requires each target's region: a target that names none is in the functions' own region.
  target_regions = {
    for name, settings in var.targets :
    upper("SWITCHGUARD_TARGETS_${name}_REGION") => lookup(settings, "region", var.region)
  }
  target_environment = merge(local.target_regions, [
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

  # The store is a private PostgreSQL (store_url's validation): reached only through the VPC (issue 17.6).
  vpc_given = var.vpc_id != "" && var.subnet_id != ""

  # Exactly what switchguard calls, each action from the API page's "Authorization information" (README "Deploy"
  # lists the pages; the ones marked there as unverified must be checked before relying on them).
  app_actions = concat([
    "dcs:instance:get",                   # GET instance, GET groups (status and roles, verification)
    "dcs:instance:swap",                  # POST /v2/.../swap, PUT /v1.0/.../swap (seed 001)
    "drs:migrationJob:get",               # batch-status, batch-progress, get-switch-vip-status
    "drs:migrationJob:action",            # switch-vip
    "dws:cluster:switchFailoverDisaster", # POST .../disaster-recovery/{id}/failover
    "dws:disasterRecovery:get",           # GET .../disaster-recovery/{id}
    "smn:topic:publish",                  # notifications
  ], var.extra_app_actions)
}

data "huaweicloud_csms_secret_version" "api_keys" {
  secret_name = var.secret_api_keys
}

data "huaweicloud_csms_secret_version" "store_password" {
  secret_name = var.secret_store_password
}

# What the code may do with the agency's credentials: read the watched resources, switch them over, notify.
# Project level (XA): granted in the region's project below. Nothing here creates or deletes a resource.
resource "huaweicloud_identity_role" "app" {
  name        = "${var.name}-switchover"
  description = "switchguard: read DCS/DRS/DWS status, switch over, publish to SMN"
  type        = "XA"
  policy = jsonencode({
    Version = "1.1"
    Statement = [{
      Effect = "Allow"
      Action = local.app_actions
    }]
  })
}

# Execution agency (app_agency): its temporary credentials reach the code as X-CFF-* headers.
resource "huaweicloud_identity_agency" "app" {
  name                   = "${var.name}-app"
  description            = "switchguard functions: switchover and status calls, SMN publish"
  delegated_service_name = "op_svc_cff"

  project_role {
    project = var.region
    roles   = [huaweicloud_identity_role.app.name]
  }
}

# Configuration agency (agency): FunctionGraph itself pulls the image from SWR and attaches the VPC. Kept apart
# from the app agency so the code never holds these permissions.
resource "huaweicloud_identity_agency" "platform" {
  name                   = "${var.name}-platform"
  description            = "FunctionGraph platform for switchguard: SWR image pull, VPC access"
  delegated_service_name = "op_svc_cff"

  project_role {
    project = var.region
    roles   = var.platform_agency_roles
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
  timeout               = var.http_timeout_seconds
  agency                = huaweicloud_identity_agency.platform.name
  app_agency            = huaweicloud_identity_agency.app.name
  enable_auth_in_header = true
  functiongraph_version = "v2"
  user_data             = jsonencode(local.http_environment)
  encrypted_user_data   = jsonencode(local.secret_environment)
  vpc_id                = var.vpc_id
  network_id            = var.subnet_id

  lifecycle {
    precondition {
      condition     = local.vpc_given
      error_message = "The PostgreSQL store is reached through the VPC: set vpc_id and subnet_id."
    }
  }
}

resource "huaweicloud_fgs_function" "check" {
  name                  = "${var.name}-check"
  app                   = "default"
  description           = "switchguard check cycle, run by the timer through POST /invoke"
  runtime               = "Custom Image"
  code_type             = "Custom-Image-Swr"
  handler               = "-"
  memory_size           = var.memory_mb
  timeout               = var.check_timeout_seconds
  agency                = huaweicloud_identity_agency.platform.name
  app_agency            = huaweicloud_identity_agency.app.name
  functiongraph_version = "v2"
  # One check cycle at a time is enough; a second timer firing while one runs waits.
  max_instance_num    = "1"
  user_data           = jsonencode(local.check_environment)
  encrypted_user_data = jsonencode(local.secret_environment)
  vpc_id              = var.vpc_id
  network_id          = var.subnet_id

  custom_image {
    url = var.image_url
  }

  lifecycle {
    precondition {
      condition     = local.vpc_given
      error_message = "The PostgreSQL store is reached through the VPC: set vpc_id and subnet_id."
    }
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

# API Gateway (dedicated) in front of the HTTP function: prefix match (SWA) on /, any method, synchronous.
# The gateway authenticates first (var.apig_auth, IAM by default); switchguard then checks its own bearer key on
# every path. The backend timeout covers a synchronous /swap: cloud call plus verification.
resource "huaweicloud_fgs_function_trigger" "api" {
  function_urn = huaweicloud_fgs_function.http.urn
  type         = "DEDICATEDGATEWAY"
  status       = "ACTIVE"
  event_data = jsonencode({
    name         = replace("${var.name}_api", "-", "_")
    instance_id  = var.apig_instance_id
    group_id     = var.apig_group_id
    env_id       = var.apig_env_id
    env_name     = var.apig_env_name
    auth         = var.apig_auth
    protocol     = "HTTPS"
    path         = "/"
    match_mode   = "SWA"
    req_method   = "ANY"
    backend_type = "FUNCTION"
    type         = var.apig_api_type
    func_info = {
      invocation_type = "sync"
      timeout         = var.http_timeout_seconds * 1000
    }
  })

  lifecycle {
    precondition {
      # read-timeout (10 s) of the swap call itself, the verification, and 10 s for lock, journal and answer.
      condition     = var.verify_timeout_seconds + 20 <= var.http_timeout_seconds
      error_message = "http_timeout_seconds must be at least verify_timeout_seconds + 20 for a synchronous /swap."
    }
  }
}
