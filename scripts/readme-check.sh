#!/usr/bin/env bash
# `make readme-check`: every ```hcl block of README.md, tried as a new user
# would, so that the README cannot drift from the provider.
#
#   1. builds the provider and the mock command, and starts the mock on a
#      free loopback port with its built-in sample (the README tells to run
#      it on 127.0.0.1:8086: that address in a block is replaced by the
#      mock's);
#   2. writes the CLI configuration of the README's Installation section:
#      dev_overrides for opensmartag/smartag only, so that a block without
#      its required_providers entry fails here as it would for a user
#      (hashicorp/smartag is not overridden, unlike in examples-check);
#   3. copies each block alone into an empty directory and runs
#      `<tf> fmt -check` and `<tf> plan` there (no init: dev_overrides),
#      with the CLI of scripts/terraform-bin.sh and, when that is
#      Terraform, with OpenTofu (scripts/tofu-bin.sh) too, as the README
#      speaks to both.
#
# A block that is not a configuration to plan (a CLI configuration, a
# fragment) says so on the line just before its opening fence:
#
#   <!-- readme-check: skip (why) -->
#
# Only ```hcl blocks are checked; shell and console blocks are not.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/mock.sh
. "$(dirname "${BASH_SOURCE[0]}")/mock.sh"

readme="${README:-${PROJECT_ROOT}/README.md}"
readme_endpoint="http://127.0.0.1:8086"
[[ -f "${readme}" ]] || die "no ${readme}"
name="${readme#"${PROJECT_ROOT}"/}"

mock_work_dir smartag-readme

# Extract the blocks: blocks/<n>/main.tf, and blocks/<n>.line (the fence's
# line) or blocks/<n>.skip (the reason).
mkdir -p "${work}/blocks"
awk -v dir="${work}/blocks" '
	/^```/ && other { other = 0; prev = $0; next }
	/^```/ && !inblock {
		if ($0 ~ /^```hcl[[:space:]]*$/) {
			n++; inblock = 1
			system("mkdir -p \"" dir "/" n "\"")
			file = dir "/" n "/main.tf"
			printf "" > file
			if (prev ~ /^<!-- readme-check: skip/) {
				reason = prev; sub(/^<!-- readme-check: skip[[:space:]]*/, "", reason); sub(/[[:space:]]*-->.*$/, "", reason)
				print NR ": " reason > (dir "/" n ".skip")
			} else {
				print NR > (dir "/" n ".line")
			}
		} else {
			other = 1
		}
		prev = $0; next
	}
	/^```/ && inblock { inblock = 0; close(file); prev = $0; next }
	inblock { print > file }
	!other { prev = $0 }
	END { if (inblock) { print "unterminated hcl block" > "/dev/stderr"; exit 1 } }
' "${readme}" || die "could not extract the hcl blocks of ${readme}"
mapfile -t blocks < <(find "${work}/blocks" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -n)
[[ ${#blocks[@]} -gt 0 ]] || die "no hcl block in ${readme}"

clis=("$(terraform_bin)")
if ! is_opentofu "${clis[0]}"; then clis+=("$("${PROJECT_ROOT}/scripts/tofu-bin.sh")"); fi
build_provider "${work}/bin" >/dev/null
start_mock "${work}"

# The Installation section's CLI configuration, nothing more; and nothing of
# the caller's environment that would change what a plan does.
export TF_CLI_CONFIG_FILE="${work}/cli.tfrc"
write_cli_config "${TF_CLI_CONFIG_FILE}" "${work}/bin"
while IFS= read -r var; do unset "${var}"; done < <(compgen -e | grep -E '^(TF_VAR_|TF_LOG|ALIBABA_CLOUD_|ALIBABACLOUD_|ALICLOUD_|SMARTAG_)' || true)
export TF_IN_AUTOMATION=1 TF_INPUT=0

failed=0
planned=0
skipped=0
for n in "${blocks[@]}"; do
	if [[ -f "${work}/blocks/${n}.skip" ]]; then
		log "skip ${name}:$(cat "${work}/blocks/${n}.skip")"
		skipped=$((skipped + 1))
		continue
	fi
	at="${name}:$(cat "${work}/blocks/${n}.line")"
	if ! out="$(cd "${work}/blocks/${n}" && "${clis[0]}" fmt -check -diff -no-color 2>&1)"; then
		log "FAIL ${at}: not formatted (terraform fmt):"
		printf '%s\n' "${out}" >&2
		failed=1
	fi
	for tf in "${clis[@]}"; do
		# A fresh copy per CLI: nothing one leaves behind reaches the other.
		dir="${work}/plan/${n}-${tf//\//_}"
		mkdir -p "${dir}"
		sed "s#${readme_endpoint}#${mock_endpoint}#g" "${work}/blocks/${n}/main.tf" >"${dir}/main.tf"
		if out="$(cd "${dir}" && "${tf}" plan -input=false -no-color 2>&1)"; then
			log "ok   ${at} (${tf##*/} plan)"
			planned=$((planned + 1))
		else
			log "FAIL ${at}: ${tf##*/} plan:"
			printf '%s\n' "${out}" >&2
			failed=1
		fi
	done
done

if [[ ${failed} -ne 0 ]]; then
	die "README check failed (a block that is not meant to plan needs '<!-- readme-check: skip (why) -->' on the line before it)"
fi
log "README check passed (${planned} plans of $((${#blocks[@]} - skipped)) blocks against the mock with ${#clis[@]} CLI(s), ${skipped} blocks skipped)"
