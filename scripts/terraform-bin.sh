#!/usr/bin/env bash
# Print the path of the Terraform-compatible CLI to use (stdout: the path
# only; messages go to stderr):
#
#   1. $TF_ACC_TERRAFORM_PATH, if set (it must be executable);
#   2. `terraform` on PATH;
#   3. Terraform $TERRAFORM_VERSION (scripts/lib.sh), built once from the Go
#      module proxy into .cache/terraform/<version>/terraform.
#
# With --actions, a CLI without actions (Terraform < 1.14, OpenTofu) is
# passed over, with a message saying so: generating the docs, validating the
# action examples and the demo's remediation need one.
#
# Nothing here downloads a release binary.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_actions=0
case "${1:-}" in
"") ;;
--actions) need_actions=1 ;;
*) die "usage: ${0##*/} [--actions]" ;;
esac

# usable BIN WHAT: succeed when BIN will do; say why not otherwise.
usable() {
	[[ "${need_actions}" -eq 0 ]] && return 0
	cli_has_actions "$1" && return 0
	log "$2 ($1, $(cli_name "$1") $(cli_version "$1" || echo "of unknown version")) has no actions (they need Terraform >= ${TERRAFORM_ACTIONS_MIN_VERSION}): not using it"
	return 1
}

if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
	[[ -f "${TF_ACC_TERRAFORM_PATH}" && -x "${TF_ACC_TERRAFORM_PATH}" ]] ||
		die "TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH} is not an executable file"
	if usable "${TF_ACC_TERRAFORM_PATH}" "TF_ACC_TERRAFORM_PATH"; then
		printf '%s\n' "${TF_ACC_TERRAFORM_PATH}"
		exit 0
	fi
fi

if bin="$(command -v terraform 2>/dev/null)" && usable "${bin}" "terraform on PATH"; then
	printf '%s\n' "${bin}"
	exit 0
fi

build_terraform "${TERRAFORM_VERSION}"
