#!/usr/bin/env bash
# `make testacc`: acceptance tests (TF_ACC=1) against a real CLI, offline.
#
#   - first run: the CLI from scripts/terraform-bin.sh ($TF_ACC_TERRAFORM_PATH,
#     terraform on PATH, or OpenTofu built from the Go module proxy);
#   - second run, only when the first CLI was HashiCorp Terraform: OpenTofu
#     from scripts/tofu-bin.sh, so both CLIs are always covered.
#
# The provider address under test is <host>/${TF_ACC_PROVIDER_NAMESPACE}/smartag
# with host registry.terraform.io for Terraform and registry.opentofu.org for
# OpenTofu: test configurations should declare
#   required_providers { smartag = { source = "opensmartag/smartag" } }
#
# Arguments are passed to `go test` (make passes $(TESTARGS)).
# Environment: TESTACC_PACKAGES (default ./internal/...),
# TESTACC_TIMEOUT (default 30m), TF_ACC_PROVIDER_NAMESPACE (default
# opensmartag), TESTACC_SKIP_OPENTOFU=1 to skip the second run.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

packages="${TESTACC_PACKAGES:-./internal/...}"
timeout="${TESTACC_TIMEOUT:-30m}"
namespace="${TF_ACC_PROVIDER_NAMESPACE:-${PROVIDER_NAMESPACE}}"

# Nothing from the user's CLI configuration may leak in (plugin caches,
# provider_installation, credentials).
cli_config="${CACHE_DIR}/testacc/empty.tfrc"
write_empty_cli_config "${cli_config}"

run_suite() {
	local bin="$1" host="$2"
	local name
	if is_opentofu "${bin}"; then name="OpenTofu"; else name="Terraform"; fi
	log "acceptance tests with ${name}: ${bin} (provider ${host}/${namespace}/${PROVIDER_SHORT_NAME})"
	# shellcheck disable=SC2086 # $packages may list several patterns
	(
		cd "${PROJECT_ROOT}" &&
			TF_ACC=1 \
				TF_ACC_TERRAFORM_PATH="${bin}" \
				TF_ACC_PROVIDER_HOST="${host}" \
				TF_ACC_PROVIDER_NAMESPACE="${namespace}" \
				TF_CLI_CONFIG_FILE="${cli_config}" \
				TF_IN_AUTOMATION=1 \
				go test -race -count=1 -timeout "${timeout}" ${packages} "${@:3}"
	)
}

tf="$(terraform_bin)"
if is_opentofu "${tf}"; then
	run_suite "${tf}" "registry.opentofu.org" "$@"
else
	run_suite "${tf}" "registry.terraform.io" "$@"
	if [[ "${TESTACC_SKIP_OPENTOFU:-}" == "1" ]]; then
		log "TESTACC_SKIP_OPENTOFU=1: not running the suite against OpenTofu"
	else
		tofu="$("${PROJECT_ROOT}/scripts/tofu-bin.sh")"
		run_suite "${tofu}" "registry.opentofu.org" "$@"
	fi
fi
