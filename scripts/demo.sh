#!/usr/bin/env bash
# `make demo`: the whole provider end to end against the local mock, offline.
#
#   1. builds the provider and the SmartAG mock server;
#   2. starts the mock on a free loopback port with its built-in sample data;
#   3. on a temp copy of examples/demo/, through a dev_overrides CLI config
#      (no init, no registry): `<tf> plan -out`, `<tf> apply` of that plan,
#      then `<tf> output`;
#   4. runs the OPA policies of examples/policies on the same plan
#      (`<tf> show -json`, then `opa eval`), as a CI job would;
#   5. stops the mock and removes the temp files, also on failure or Ctrl-C.
#
# <tf> is scripts/terraform-bin.sh's choice: Terraform or OpenTofu. opa is
# $OPA (make demo passes the one it built), else .cache/bin/opa, built by
# make if missing.
# Exit status: that of the plan and apply, or of the OPA run if it could not
# judge; violations the policies find are the demo's point, not a failure.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/mock.sh
. "$(dirname "${BASH_SOURCE[0]}")/mock.sh"

demo_src="${PROJECT_ROOT}/examples/demo"
[[ -d "${demo_src}" ]] || die "examples/demo/ not found"

mock_work_dir smartag-demo

tf="$(terraform_bin)"
log "using $(TF_CLI_CONFIG_FILE=/dev/null "${tf}" version 2>/dev/null | sed -n 1p) (${tf})"

opa="${OPA:-${CACHE_DIR}/bin/opa}"
if [[ ! -x "${opa}" ]]; then
	log "building opa (make ${opa})..."
	make -C "${PROJECT_ROOT}" --no-print-directory "${opa}" >&2 || die "could not build opa"
fi
policies="${PROJECT_ROOT}/examples/policies"

build_provider "${work}/bin" >/dev/null
start_mock "${work}"
endpoint="${mock_endpoint}"

export TF_CLI_CONFIG_FILE="${work}/cli.tfrc"
write_cli_config "${TF_CLI_CONFIG_FILE}" "${work}/bin"

mkdir -p "${work}/demo"
cp -R "${demo_src}/." "${work}/demo/"
rm -rf "${work}/demo/.terraform" "${work}/demo/.terraform.lock.hcl" "${work}/demo/"*.tfstate*

export TF_VAR_endpoint="${endpoint}"
export ALIBABA_CLOUD_ACCESS_KEY_ID="LTAIMockSampleKeyId01"
export ALIBABA_CLOUD_ACCESS_KEY_SECRET="MockSampleSecret0000000000000001"
export ALIBABA_CLOUD_REGION="cn-shanghai"
export TF_IN_AUTOMATION=1

cd "${work}/demo"
status=0
# The plan's own listing repeats what the apply shows (the reads, the check
# warnings, the outputs), so it is kept in a log and shown only on failure.
log "${tf##*/} plan -out=demo.tfplan (log: plan.log), then ${tf##*/} apply demo.tfplan"
if ! "${tf}" plan -input=false -out=demo.tfplan >plan.log 2>&1; then
	status=1
	cat plan.log >&2
else
	"${tf}" apply -input=false demo.tfplan || status=$?
fi
if [[ ${status} -ne 0 ]]; then
	log "plan or apply failed (exit ${status})"
	if [[ -s "${work}/mock.err" ]]; then
		log "mock stderr (last 20 lines):"
		tail -n 20 "${work}/mock.err" >&2 || true
	fi
	exit "${status}"
fi

# The outputs once more, each in the form it is meant for.
printf '\n== Who is online (output online_table) ==\n'
"${tf}" output -raw online_table && echo
printf '\n== Audit report, JSON for a report pipeline (output -raw audit_report) ==\n'
"${tf}" output -raw audit_report && echo
printf '\n== Policy violations (the check blocks above warned about them) ==\n'
"${tf}" output -no-color policy_violations

# The same plan, judged by OPA: what a CI job runs on `show -json` of a saved
# plan. --fail-defined exits 1 when there is any deny message.
"${tf}" show -json demo.tfplan >plan.json
printf '\n== OPA verdict on the same plan (opa eval --fail-defined -d examples/policies -i plan.json '"'"'data.smartag.deny[_]'"'"') ==\n'
verdict=0
"${opa}" eval --fail-defined --format raw --data "${policies}" --input plan.json 'data.smartag.deny[_]' || verdict=$?
case ${verdict} in
0) echo "OPA: no violations; a CI job would pass this plan." ;;
1) echo "OPA: violations above; a CI job would fail this plan." ;;
*) die "opa eval could not judge the plan (exit ${verdict})" ;;
esac
