#!/usr/bin/env bash
# Print the path of the Terraform-compatible CLI to use (stdout: the path
# only; messages go to stderr):
#
#   1. $TF_ACC_TERRAFORM_PATH, if set (it must be executable);
#   2. `terraform` on PATH;
#   3. OpenTofu (see scripts/tofu-bin.sh), built once from the Go module
#      proxy into .cache/opentofu/<version>/tofu.
#
# Nothing here downloads Terraform.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
	[[ -f "${TF_ACC_TERRAFORM_PATH}" && -x "${TF_ACC_TERRAFORM_PATH}" ]] ||
		die "TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH} is not an executable file"
	printf '%s\n' "${TF_ACC_TERRAFORM_PATH}"
	exit 0
fi

if bin="$(command -v terraform 2>/dev/null)"; then
	printf '%s\n' "${bin}"
	exit 0
fi

exec "${PROJECT_ROOT}/scripts/tofu-bin.sh"
