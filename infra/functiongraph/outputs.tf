output "http_function_urn" {
  description = "URN of the HTTP function (manual calls through API Gateway)."
  value       = huaweicloud_fgs_function.http.urn
}

output "check_function_urn" {
  description = "URN of the timer-driven event function."
  value       = huaweicloud_fgs_function.check.urn
}

output "app_agency" {
  description = "Agency whose temporary credentials sign the cloud calls (custom role, read + switchover only)."
  value       = huaweicloud_identity_agency.app.name
}

output "platform_agency" {
  description = "Agency FunctionGraph itself uses to pull the image and attach the functions to the VPC."
  value       = huaweicloud_identity_agency.platform.name
}
