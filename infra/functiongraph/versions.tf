# switchguard on FunctionGraph (issue 7). Not applied in CI (no provider download there): the test suite parses
# these files (infra/TerraformFilesTest); `terraform init && terraform validate` checks them against the provider.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = ">= 1.70.0"
    }
  }
}

provider "huaweicloud" {
  region = var.region
}
