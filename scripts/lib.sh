# shellcheck shell=bash
# Shared helpers for the project's scripts. Source it, do not execute it:
#
#   . "$(dirname "$0")/lib.sh"
#
# Everything here works offline: the only network access is the Go module
# proxy (through the go command), never a Terraform download.

# Absolute path of the repository root (the directory holding go.mod).
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PROJECT_ROOT

# Git-ignored cache for built binaries and CLI configs.
CACHE_DIR="${PROJECT_ROOT}/.cache"

# OpenTofu version built from the Go module proxy when no Terraform-compatible
# CLI is available (see build_opentofu).
OPENTOFU_VERSION="${OPENTOFU_VERSION:-1.10.7}"

# Provider names as seen by Terraform and by OpenTofu.
PROVIDER_SHORT_NAME="smartag"
PROVIDER_NAMESPACE="opensmartag"
PROVIDER_ADDR_TERRAFORM="registry.terraform.io/${PROVIDER_NAMESPACE}/${PROVIDER_SHORT_NAME}"
PROVIDER_ADDR_OPENTOFU="registry.opentofu.org/${PROVIDER_NAMESPACE}/${PROVIDER_SHORT_NAME}"
PROVIDER_BINARY_NAME="terraform-provider-${PROVIDER_SHORT_NAME}"

# Never phone home.
export CHECKPOINT_DISABLE=1

log() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

# build_opentofu: print the path of the cached OpenTofu binary, building it
# first from the Go module proxy if it is not there yet. Progress goes to
# stderr; only the path goes to stdout.
#
# The build goes to a temporary file next to the final one and is renamed
# into place only once it is complete, so an interrupted build never leaves a
# broken binary behind.
build_opentofu() {
	local version="${OPENTOFU_VERSION}"
	local dest_dir="${CACHE_DIR}/opentofu/${version}"
	local dest="${dest_dir}/tofu"

	if [[ -x "${dest}" ]]; then
		printf '%s\n' "${dest}"
		return 0
	fi

	command -v go >/dev/null 2>&1 || die "go is needed to build OpenTofu ${version}, but is not on PATH"

	log "building OpenTofu ${version} into ${dest} (one time, takes a few minutes)..."
	mkdir -p "${dest_dir}"

	# The module cache is read-only and the build must run inside the module
	# (go install pkg@version refuses OpenTofu's replace directive), so build
	# from a writable temporary copy, removed whatever happens (subshell with
	# its own EXIT trap).
	local tmpbin="${dest_dir}/.tofu.tmp.$$"
	if ! (
		set -euo pipefail
		work="$(mktemp -d "${TMPDIR:-/tmp}/opentofu-build.XXXXXX")"
		trap 'rm -rf "${work}" "${tmpbin}"' EXIT
		trap 'exit 130' INT TERM

		json="$(go mod download -json "github.com/opentofu/opentofu@v${version}")" || {
			printf '%s\n' "${json}" >&2
			die "could not download github.com/opentofu/opentofu@v${version} from the Go module proxy"
		}
		moddir="$(printf '%s\n' "${json}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
		[[ -n "${moddir}" && -d "${moddir}" ]] || die "go mod download gave no module directory for OpenTofu ${version}"

		cp -R "${moddir}" "${work}/src"
		chmod -R u+w "${work}/src"
		cd "${work}/src"
		GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0 \
			go build -trimpath \
			-ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
			-o "${tmpbin}" ./cmd/tofu ||
			die "go build of OpenTofu ${version} failed"
		TF_CLI_CONFIG_FILE=/dev/null "${tmpbin}" version >/dev/null 2>&1 || die "the freshly built OpenTofu ${version} does not run"
		mv -f "${tmpbin}" "${dest}"
	); then
		die "could not build OpenTofu ${version}"
	fi
	log "built OpenTofu ${version}: ${dest}"
	printf '%s\n' "${dest}"
}

# is_opentofu BIN: succeed when BIN is OpenTofu rather than HashiCorp
# Terraform.
is_opentofu() {
	local out
	out="$(TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null)" || true
	[[ "${out%%$'\n'*}" == *OpenTofu* ]]
}

# cli_has_actions BIN: succeed when BIN runs Terraform actions (`action`
# blocks, `apply -invoke`): HashiCorp Terraform 1.14 or later. OpenTofu has
# none.
cli_has_actions() {
	is_opentofu "$1" && return 1
	local version major minor
	version="$(TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
		sed -n 's/^[[:space:]]*"terraform_version":[[:space:]]*"\([0-9][0-9.]*\).*$/\1/p')"
	IFS=. read -r major minor _ <<<"${version}"
	[[ -n "${major}" && -n "${minor}" ]] || return 1
	((major > 1 || (major == 1 && minor >= 14)))
}

# provider_address BIN: the full provider address the CLI BIN uses for
# opensmartag/smartag (the key in `providers schema -json`).
provider_address() {
	if is_opentofu "$1"; then
		printf '%s\n' "${PROVIDER_ADDR_OPENTOFU}"
	else
		printf '%s\n' "${PROVIDER_ADDR_TERRAFORM}"
	fi
}

# write_cli_config FILE BINDIR [implicit]: write a Terraform/OpenTofu CLI
# configuration to FILE whose dev_overrides point both the Terraform and the
# OpenTofu address of the provider at the binary in BINDIR. With
# dev_overrides, plan, apply, validate and `providers schema` need no `init`
# for this provider.
#
# With a third argument "implicit", the addresses a configuration without a
# required_providers entry for smartag resolves to (hashicorp/smartag) are
# overridden too: tfplugindocs-style example snippets have no terraform
# block.
write_cli_config() {
	local file="${1:-}" bindir="${2:-}" implicit="${3:-}"
	[[ -n "${file}" && -n "${bindir}" ]] || die "usage: write_cli_config FILE BINDIR [implicit]"
	mkdir -p "$(dirname "${file}")"
	{
		echo "# Written by scripts/lib.sh (write_cli_config). Do not edit."
		echo "provider_installation {"
		echo "  dev_overrides {"
		echo "    \"${PROVIDER_ADDR_TERRAFORM}\" = \"${bindir}\""
		echo "    \"${PROVIDER_ADDR_OPENTOFU}\" = \"${bindir}\""
		if [[ "${implicit}" == "implicit" ]]; then
			echo "    \"registry.terraform.io/hashicorp/${PROVIDER_SHORT_NAME}\" = \"${bindir}\""
			echo "    \"registry.opentofu.org/hashicorp/${PROVIDER_SHORT_NAME}\" = \"${bindir}\""
		fi
		echo "  }"
		echo "  direct {}"
		echo "}"
	} >"${file}"
}

# write_empty_cli_config FILE: an empty CLI config, so that nothing from the
# user's environment (TF_CLI_CONFIG_FILE, ~/.terraformrc) leaks in.
write_empty_cli_config() {
	local file="$1"
	mkdir -p "$(dirname "${file}")"
	: >"${file}"
}

# build_provider BINDIR: build the provider binary into BINDIR and print its
# path.
build_provider() {
	local bindir="$1"
	mkdir -p "${bindir}"
	log "building ${PROVIDER_BINARY_NAME}..."
	(cd "${PROJECT_ROOT}" && go build -o "${bindir}/${PROVIDER_BINARY_NAME}" .) ||
		die "go build of the provider failed"
	printf '%s\n' "${bindir}/${PROVIDER_BINARY_NAME}"
}

# terraform_bin: print the Terraform-compatible CLI to use (see
# scripts/terraform-bin.sh).
terraform_bin() {
	"${PROJECT_ROOT}/scripts/terraform-bin.sh"
}
