#!/usr/bin/env bash
# Check the examples/ tree:
#   1. `<tf> fmt -check -recursive examples`;
#   2. `<tf> validate` in every directory under examples/ that holds .tf
#      files, with dev_overrides pointing at a freshly built provider.
#
# With dev_overrides, validate needs no `init` for the smartag provider (nor
# for builtin ones such as terraform_data). Snippets without a
# required_providers block (as tfplugindocs examples usually are) resolve to
# hashicorp/smartag, which is overridden as well here. An example that needs any other
# provider or a module would need `init`, which cannot download anything
# offline: keep examples to the smartag provider and builtins.
#
# The CLI is a Terraform with actions (scripts/terraform-bin.sh --actions):
# the examples of actions hold `action` blocks, which older CLIs reject.
#
# Each directory is copied to a temp dir first, so no .terraform/ or lock
# file is ever written into the tree.
#
# A directory with an `action` block (examples/actions/, the remediation
# guide) is validated only when the CLI runs actions (Terraform 1.14 or
# later): Terraform 1.11 to 1.13 and OpenTofu refuse the block. With another
# CLI it is skipped with a message; set EXAMPLES_ACTIONS_CLI to a Terraform
# >= 1.14 to validate those directories with it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

examples="${PROJECT_ROOT}/examples"
[[ -d "${examples}" ]] || die "no examples/ directory"

tf="$(terraform_bin_with_actions)"

work="$(mktemp -d "${TMPDIR:-/tmp}/smartag-examples.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
trap 'exit 130' INT TERM

build_provider "${work}/bin" >/dev/null
export TF_CLI_CONFIG_FILE="${work}/cli.tfrc"
write_cli_config "${TF_CLI_CONFIG_FILE}" "${work}/bin" implicit

failed=0

log "${tf##*/} fmt -check -recursive examples"
if ! (cd "${PROJECT_ROOT}" && "${tf}" fmt -check -diff -recursive examples); then
	log "FAIL: files above are not formatted; run \`make fmt\`"
	failed=1
fi

mapfile -t dirs < <(find "${examples}" -type f -name '*.tf' -not -path '*/.terraform/*' -exec dirname {} \; | LC_ALL=C sort -u)
[[ ${#dirs[@]} -gt 0 ]] || die "no .tf files under examples/"

actions_tf=""
if cli_has_actions "${tf}"; then
	actions_tf="${tf}"
elif [[ -n "${EXAMPLES_ACTIONS_CLI:-}" ]]; then
	cli_has_actions "${EXAMPLES_ACTIONS_CLI}" || die "EXAMPLES_ACTIONS_CLI=${EXAMPLES_ACTIONS_CLI} does not run actions (Terraform >= 1.14 needed)"
	actions_tf="${EXAMPLES_ACTIONS_CLI}"
fi

n=0
skipped=0
for dir in "${dirs[@]}"; do
	rel="${dir#"${PROJECT_ROOT}"/}"
	n=$((n + 1))
	copy="${work}/validate/${n}"
	mkdir -p "${copy}"
	# Only the directory's own files: validate reads one module.
	find "${dir}" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tf.json' -o -name '*.tfvars' \) -exec cp {} "${copy}/" \;
	cli="${tf}"
	if grep -qsE '^[[:space:]]*action[[:space:]]+"' "${dir}"/*.tf; then
		if [[ -z "${actions_tf}" ]]; then
			log "skip ${rel}: it has action blocks, which ${tf##*/} does not run (needs Terraform >= 1.14; set EXAMPLES_ACTIONS_CLI)"
			skipped=$((skipped + 1))
			continue
		fi
		cli="${actions_tf}"
	fi
	if out="$(cd "${copy}" && "${cli}" validate -no-color 2>&1)"; then
		log "ok   ${rel}"
	else
		log "FAIL ${rel}:"
		printf '%s\n' "${out}" >&2
		failed=1
	fi
done

if [[ ${failed} -ne 0 ]]; then
	die "examples check failed"
fi
log "examples check passed ($((n - skipped)) directories validated, ${skipped} with actions skipped)"
