output "http_function_urn" {
  description = "URN of the HTTP function (manual calls through API Gateway)."
  value       = huaweicloud_fgs_function.http.urn
}

output "check_function_urn" {
  description = "URN of the timer-driven event function."
  value       = huaweicloud_fgs_function.check.urn
}

output "agency" {
  description = "Agency whose temporary credentials sign the cloud calls."
  value       = huaweicloud_identity_agency.switchguard.name
}
