#!/usr/bin/env bash
# Generate docs/ with tfplugindocs, offline.
#
# tfplugindocs would normally build the provider and download Terraform to
# read its schema; instead this script:
#   1. builds the provider into a temp dir;
#   2. reads its schema with `<tf> providers schema -json`, where <tf> is a
#      Terraform with actions (scripts/terraform-bin.sh --actions: >= 1.14,
#      else the pinned one, built once), through a dev_overrides CLI config
#      (no `init` needed) in a temp dir holding a minimal configuration. An
#      older Terraform or OpenTofu leaves the actions out of the schema, and
#      so their pages out of docs/;
#   3. renames the provider key to the short name tfplugindocs looks up
#      ("registry.terraform.io/opensmartag/smartag" or
#      "registry.opentofu.org/opensmartag/smartag" -> "smartag");
#   4. runs `tfplugindocs generate --providers-schema <file>`.
#
# Environment: TFPLUGINDOCS (path of tfplugindocs; default .cache/bin/
# tfplugindocs, built by `make tools`).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tfplugindocs="${TFPLUGINDOCS:-${CACHE_DIR}/bin/tfplugindocs}"
if [[ ! -x "${tfplugindocs}" ]]; then
	log "tfplugindocs not found at ${tfplugindocs}; building it (make tools)"
	make -C "${PROJECT_ROOT}" --no-print-directory tools >&2 || die "could not build tfplugindocs"
fi
[[ -x "${tfplugindocs}" ]] || die "tfplugindocs not found at ${tfplugindocs}"

tf="$(terraform_bin_with_actions)"

work="$(mktemp -d "${TMPDIR:-/tmp}/smartag-docs.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
trap 'exit 130' INT TERM

build_provider "${work}/bin" >/dev/null

export TF_CLI_CONFIG_FILE="${work}/cli.tfrc"
write_cli_config "${TF_CLI_CONFIG_FILE}" "${work}/bin"

mkdir -p "${work}/config"
cat >"${work}/config/main.tf" <<TF
terraform {
  required_providers {
    ${PROVIDER_SHORT_NAME} = {
      source = "${PROVIDER_NAMESPACE}/${PROVIDER_SHORT_NAME}"
    }
  }
}

provider "${PROVIDER_SHORT_NAME}" {}
TF

log "reading the provider schema with ${tf}"
if ! (cd "${work}/config" && "${tf}" providers schema -json >"${work}/schema.raw.json" 2>"${work}/schema.err"); then
	cat "${work}/schema.err" >&2
	die "\`${tf##*/} providers schema -json\` failed"
fi

addr="$(provider_address "${tf}")"
# The output is one line of JSON whose only provider is ours (Go's encoder
# sorts keys), so the key follows "provider_schemas":{ directly.
sed "s#\"provider_schemas\":{\"${addr}\":#\"provider_schemas\":{\"${PROVIDER_SHORT_NAME}\":#" \
	"${work}/schema.raw.json" >"${work}/schema.json"
if ! grep -q "\"provider_schemas\":{\"${PROVIDER_SHORT_NAME}\":" "${work}/schema.json"; then
	head -c 2000 "${work}/schema.raw.json" >&2
	echo >&2
	die "provider ${addr} not found in the output of \`providers schema -json\` (above)"
fi

log "running tfplugindocs generate"
cd "${PROJECT_ROOT}"
"${tfplugindocs}" generate \
	--provider-name "${PROVIDER_SHORT_NAME}" \
	--providers-schema "${work}/schema.json"
