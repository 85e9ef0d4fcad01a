# switchguard on FunctionGraph. Not applied in CI (no provider download there): the test suite parses these files
# and checks every argument against the provider documentation it records (infra/TerraformFilesTest);
# `terraform init && terraform validate` checks them against the provider itself.
#
# No .terraform.lock.hcl is committed: its hashes can only come from downloading the provider packages, which
# this build machine cannot reach. Run `terraform providers lock -platform=linux_amd64 -platform=darwin_arm64`
# once where the registry is reachable and commit the file it writes (README "Deploy").
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = "~> 1.97"
    }
  }
}

provider "huaweicloud" {
  region = var.region
}
