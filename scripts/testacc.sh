#!/usr/bin/env bash
# `make testacc`: the acceptance tests (TF_ACC=1) against real CLIs, offline,
# once per CLI of the matrix:
#
#   terraform-oldest  Terraform $TERRAFORM_OLDEST_VERSION, the oldest the
#                     provider supports (README "Requirements");
#   terraform-newest  Terraform $TERRAFORM_VERSION, the newest, with actions;
#   opentofu          OpenTofu $OPENTOFU_VERSION, the newest that builds with
#                     Go 1.26.
#
# Each is `terraform`/`tofu` on PATH when that is exactly the pinned version,
# else built once from the Go module proxy into .cache/ (scripts/lib.sh), so
# every machine runs the same three CLIs. Tests that need actions skip
# themselves, saying why, on the CLIs without them (internal/testutil).
#
# The provider address under test is <host>/${TF_ACC_PROVIDER_NAMESPACE}/smartag
# with host registry.terraform.io for Terraform and registry.opentofu.org for
# OpenTofu: test configurations should declare
#   required_providers { smartag = { source = "opensmartag/smartag" } }
#
# Arguments are passed to `go test` (make passes $(TESTARGS)).
# Environment:
#   TESTACC_CLIS           the CLIs to run, among the three above (default:
#                          all three), e.g. TESTACC_CLIS=terraform-newest;
#   TF_ACC_TERRAFORM_PATH  run once, with that CLI only, instead of the matrix;
#   TESTACC_SKIP_OPENTOFU=1  leave opentofu out of the matrix;
#   TESTACC_PACKAGES       default ./internal/...;
#   TESTACC_TIMEOUT        go test -timeout per CLI, default 30m;
#   TF_ACC_PROVIDER_NAMESPACE  default opensmartag.
# Every CLI runs even when one fails; the summary at the end names each
# CLI's result and time.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

packages="${TESTACC_PACKAGES:-./internal/...}"
timeout="${TESTACC_TIMEOUT:-30m}"
namespace="${TF_ACC_PROVIDER_NAMESPACE:-${PROVIDER_NAMESPACE}}"
all_clis="terraform-oldest terraform-newest opentofu"

# Nothing from the user's CLI configuration may leak in (plugin caches,
# provider_installation, credentials).
cli_config="${CACHE_DIR}/testacc/empty.tfrc"
write_empty_cli_config "${cli_config}"

# resolve CLI: print the binary of one matrix entry (building it if needed).
resolve() {
	case "$1" in
	terraform-oldest) terraform_at "${TERRAFORM_OLDEST_VERSION}" ;;
	terraform-newest) terraform_at "${TERRAFORM_VERSION}" ;;
	opentofu) "${PROJECT_ROOT}/scripts/tofu-bin.sh" ;;
	*) die "unknown CLI '$1'" ;;
	esac
}

summary=()
failed=()

# run_suite LABEL BIN [go test args]: the packages' tests with BIN.
run_suite() {
	local label="$1" bin="$2" name version host actions started status=0
	shift 2
	name="$(cli_name "${bin}")"
	version="$(cli_version "${bin}")" || die "${bin} does not run (\`version -json\` failed)"
	if [[ "${name}" == OpenTofu ]]; then host="registry.opentofu.org"; else host="registry.terraform.io"; fi
	if cli_has_actions "${bin}"; then actions="with actions"; else actions="no actions: action tests skip"; fi
	log "==> acceptance tests on ${name} ${version} [${label}; ${actions}]: ${bin} (provider ${host}/${namespace}/${PROVIDER_SHORT_NAME})"
	started="${SECONDS}"
	# shellcheck disable=SC2086 # $packages may list several patterns
	(
		cd "${PROJECT_ROOT}" &&
			TF_ACC=1 \
				TF_ACC_TERRAFORM_PATH="${bin}" \
				TF_ACC_PROVIDER_HOST="${host}" \
				TF_ACC_PROVIDER_NAMESPACE="${namespace}" \
				TF_CLI_CONFIG_FILE="${cli_config}" \
				TF_IN_AUTOMATION=1 \
				go test -race -count=1 -timeout "${timeout}" ${packages} "$@"
	) || status=$?
	local result="ok"
	if [[ "${status}" -ne 0 ]]; then
		result="FAILED"
		failed+=("${name} ${version}")
	fi
	summary+=("${result} ${name} ${version} [${label}] in $((SECONDS - started))s")
	log "<== ${result}: ${name} ${version} [${label}]"
}

if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
	[[ -f "${TF_ACC_TERRAFORM_PATH}" && -x "${TF_ACC_TERRAFORM_PATH}" ]] ||
		die "TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH} is not an executable file"
	log "TF_ACC_TERRAFORM_PATH is set: running only with ${TF_ACC_TERRAFORM_PATH} (unset it for the matrix: ${all_clis})"
	run_suite "TF_ACC_TERRAFORM_PATH" "${TF_ACC_TERRAFORM_PATH}" "$@"
else
	read -r -a clis <<<"${TESTACC_CLIS:-${all_clis}}"
	clis=("${clis[@]//,/ }")
	read -r -a clis <<<"${clis[*]}"
	[[ "${#clis[@]}" -gt 0 ]] || die "TESTACC_CLIS is empty (known: ${all_clis})"
	for cli in "${clis[@]}"; do
		[[ " ${all_clis} " == *" ${cli} "* ]] || die "TESTACC_CLIS: unknown CLI '${cli}' (known: ${all_clis})"
	done
	for cli in "${clis[@]}"; do
		if [[ "${cli}" == opentofu && "${TESTACC_SKIP_OPENTOFU:-}" == "1" ]]; then
			log "TESTACC_SKIP_OPENTOFU=1: not running the suite on OpenTofu"
			continue
		fi
		bin="$(resolve "${cli}")" || die "could not find or build the CLI for ${cli}"
		run_suite "${cli}" "${bin}" "$@"
	done
fi

for line in "${summary[@]}"; do log "${line}"; done
[[ "${#failed[@]}" -eq 0 ]] || die "acceptance tests failed on: ${failed[*]}"
