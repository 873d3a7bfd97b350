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

# The CLIs the project builds from the Go module proxy (see build_terraform
# and build_opentofu). TERRAFORM_VERSION is the newest Terraform (the one with
# actions that docs, the demo and the action tests use); TERRAFORM_OLDEST_VERSION
# the oldest Terraform the provider supports (README "Requirements");
# OPENTOFU_VERSION the newest OpenTofu that builds with Go 1.26 (1.13 needs Go
# 1.27).
TERRAFORM_VERSION="${TERRAFORM_VERSION:-1.16.4}"
TERRAFORM_OLDEST_VERSION="${TERRAFORM_OLDEST_VERSION:-1.5.7}"
OPENTOFU_VERSION="${OPENTOFU_VERSION:-1.12.6}"

# Terraform has actions (action blocks, apply -invoke) from this version on;
# OpenTofu has none.
TERRAFORM_ACTIONS_MIN_VERSION="1.14.0"

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

# build_go_cli NAME MODULE VERSION PACKAGE DEST VERSION_VAR [PREPARE]: print
# DEST, building it first, if it is not there yet, from MODULE@vVERSION on the
# Go module proxy: `go build PACKAGE` inside a writable copy of the module
# (go install pkg@version refuses the modules' replace directives), with
# VERSION_VAR=no so the binary does not call itself a -dev build. PREPARE, if
# given, is a function run inside the copy before the build (to patch it).
# Progress goes to stderr; only the path goes to stdout.
#
# The build goes to a temporary file next to DEST and is renamed into place
# only once it runs and reports VERSION, so an interrupted or broken build
# never leaves a binary behind. GOTOOLCHAIN=local: a module that needs a newer
# Go fails here with the go command's message instead of fetching a toolchain.
build_go_cli() {
	local name="$1" module="$2" version="$3" pkg="$4" dest="$5" version_var="$6" prepare="${7:-}"
	local dest_dir="${dest%/*}"

	if [[ -x "${dest}" ]]; then
		printf '%s\n' "${dest}"
		return 0
	fi

	command -v go >/dev/null 2>&1 || die "go is needed to build ${name} ${version}, but is not on PATH"

	log "building ${name} ${version} from the Go module proxy into ${dest} (once; a few minutes)..."
	mkdir -p "${dest_dir}"

	# The build runs in a subshell with its own EXIT trap, so the copy and the
	# temporary binary are removed whatever happens.
	local tmpbin="${dest_dir}/.${dest##*/}.tmp.$$"
	local started="${SECONDS}"
	if ! (
		set -euo pipefail
		work="$(mktemp -d "${TMPDIR:-/tmp}/${dest##*/}-build.XXXXXX")"
		trap 'chmod -R u+w "${work}" 2>/dev/null; rm -rf "${work}" "${tmpbin}"' EXIT
		trap 'exit 130' INT TERM

		json="$(GOFLAGS=-mod=mod go mod download -json "${module}@v${version}")" || {
			printf '%s\n' "${json}" >&2
			die "could not download ${module}@v${version} from the Go module proxy"
		}
		moddir="$(printf '%s\n' "${json}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
		[[ -n "${moddir}" && -d "${moddir}" ]] || die "go mod download gave no module directory for ${module}@v${version}"

		cp -R "${moddir}" "${work}/src"
		chmod -R u+w "${work}/src"
		cd "${work}/src"
		if [[ -n "${prepare}" ]]; then
			"${prepare}" || die "could not prepare the ${name} ${version} sources for the build"
		fi
		GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 \
			go build -trimpath \
			-ldflags "-s -w -X ${version_var}=no" \
			-o "${tmpbin}" "${pkg}" ||
			die "go build of ${name} ${version} failed"
		got="$(cli_version "${tmpbin}")" || die "the freshly built ${name} ${version} does not run"
		[[ "${got}" == "${version}" ]] || die "the freshly built ${name} reports version ${got}, not ${version}"
		mv -f "${tmpbin}" "${dest}"
	); then
		die "could not build ${name} ${version}"
	fi
	log "built ${name} ${version} in $((SECONDS - started))s: ${dest}"
	printf '%s\n' "${dest}"
}

# build_opentofu [VERSION]: print the path of OpenTofu VERSION (default
# $OPENTOFU_VERSION), .cache/opentofu/<version>/tofu, built once. It builds
# from its module as is.
build_opentofu() {
	local version="${1:-${OPENTOFU_VERSION}}"
	build_go_cli OpenTofu github.com/opentofu/opentofu "${version}" ./cmd/tofu \
		"${CACHE_DIR}/opentofu/${version}/tofu" github.com/opentofu/opentofu/version.dev
}

# build_terraform [VERSION]: print the path of Terraform VERSION (default
# $TERRAFORM_VERSION), .cache/terraform/<version>/terraform, built once (see
# drop_missing_terraform_modules for the one change it needs).
build_terraform() {
	local version="${1:-${TERRAFORM_VERSION}}"
	build_go_cli Terraform github.com/hashicorp/terraform "${version}" . \
		"${CACHE_DIR}/terraform/${version}/terraform" github.com/hashicorp/terraform/version.dev \
		drop_missing_terraform_modules
}

# drop_missing_terraform_modules: run in a copy of the Terraform module.
# Terraform's go.mod `replace`s nested modules (the azure, consul, cos, gcs,
# kubernetes, oci, oss, pg and s3 state backends, internal/legacy) with local
# directories its module zip leaves out, so it does not build as published.
# For each replacement whose directory is missing, drop its require and
# replace, and drop the backend from internal/backend/init/init.go (its
# import and its entry in the backend map); the local, remote, http, inmem
# and cloud backends stay. Every edit is checked: when a version's sources
# differ from what this expects, the build stops here, naming what it did
# not find, rather than producing a different Terraform.
drop_missing_terraform_modules() {
	local init_go="internal/backend/init/init.go"
	local old new alias dropped=0 before after
	local -a missing=()

	while read -r old new; do
		[[ "${new}" == ./* && ! -d "${new}" ]] && missing+=("${old}")
	done < <(go mod edit -json | awk '
		/"Old": [{]/ { side = "old" }
		/"New": [{]/ { side = "new" }
		/"Path":/ {
			path = $2; gsub(/[",]/, "", path)
			if (side == "old") old = path
			else if (side == "new") print old, path
			side = ""
		}')
	if [[ "${#missing[@]}" -eq 0 ]]; then
		log "Terraform's go.mod replaces no missing directory: building it unchanged"
		return 0
	fi

	[[ -f "${init_go}" ]] || die "${init_go} not found: this Terraform version's layout is not the one expected"
	for old in "${missing[@]}"; do
		go mod edit -droprequire="${old}" -dropreplace="${old}" || die "go mod edit could not drop ${old}"

		# Only init.go may import a dropped module (from non-test code).
		local users
		users="$(grep -rl --include='*.go' --exclude='*_test.go' -F "\"${old}\"" . | grep -v -x "./${init_go}" || true)"
		[[ -z "${users}" ]] || die "${old} is missing from the module zip but imported by: ${users//$'\n'/ }"
		grep -q -F "\"${old}\"" "${init_go}" || continue

		alias="$(sed -n "s#^[[:space:]]*\([A-Za-z0-9_]*\)[[:space:]]*\"${old}\"\$#\1#p" "${init_go}")"
		[[ -n "${alias}" && "${alias}" != *$'\n'* ]] ||
			die "${init_go}: expected one aliased import of ${old}, found: ${alias:-none}"
		before="$(wc -l <"${init_go}")"
		sed -i \
			-e "\#^[[:space:]]*${alias}[[:space:]]*\"${old}\"\$#d" \
			-e "/^[[:space:]]*\"[a-z0-9_-]*\":[[:space:]]*func() backend\.Backend { return ${alias}\.New() },\$/d" \
			"${init_go}"
		after="$(wc -l <"${init_go}")"
		[[ "$((before - after))" -eq 2 ]] ||
			die "${init_go}: expected to remove 2 lines for ${alias} (${old}), removed $((before - after))"
		! grep -q -w "${alias}" "${init_go}" || die "${init_go} still uses ${alias} after the edit"
		dropped=$((dropped + 1))
	done
	for kept in backendLocal backendRemote backendHTTP backendInmem backendCloud; do
		grep -q -w "${kept}" "${init_go}" || die "${init_go} lost ${kept}: the edit went wrong"
	done
	log "dropped ${#missing[@]} nested modules missing from the module zip (${dropped} state backends)"
}

# cli_version BIN: print the version of the Terraform or OpenTofu CLI BIN
# ("1.16.4"), from `version -json`.
cli_version() {
	local out v
	out="$(TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null)" || return 1
	v="$(printf '%s\n' "${out}" | sed -n 's/^[[:space:]]*"terraform_version": "\([^"]*\)",\{0,1\}$/\1/p')"
	[[ -n "${v}" ]] || return 1
	printf '%s\n' "${v}"
}

# version_at_least HAVE WANT: succeed when version HAVE >= WANT (x.y.z;
# a pre-release suffix is ignored).
version_at_least() {
	local have="${1%%-*}" want="${2%%-*}"
	[[ "$(printf '%s\n%s\n' "${want}" "${have}" | sort -t. -k1,1n -k2,2n -k3,3n | head -n1)" == "${want}" ]]
}

# cli_has_actions BIN: succeed when BIN runs Terraform actions (HashiCorp
# Terraform >= TERRAFORM_ACTIONS_MIN_VERSION; OpenTofu has none).
cli_has_actions() {
	local v
	is_opentofu "$1" && return 1
	v="$(cli_version "$1")" || return 1
	version_at_least "${v}" "${TERRAFORM_ACTIONS_MIN_VERSION}"
}

# terraform_at VERSION: print a HashiCorp Terraform of exactly VERSION:
# `terraform` on PATH when it is that version (saves the build), else the one
# build_terraform builds once into .cache/.
terraform_at() {
	local version="$1" bin
	if bin="$(command -v terraform 2>/dev/null)" && ! is_opentofu "${bin}" &&
		[[ "$(cli_version "${bin}" || true)" == "${version}" ]]; then
		printf '%s\n' "${bin}"
		return 0
	fi
	build_terraform "${version}"
}

# opentofu_at VERSION: print an OpenTofu of exactly VERSION: `tofu` on PATH
# when it is that version, else the one build_opentofu builds once.
opentofu_at() {
	local version="$1" bin
	if bin="$(command -v tofu 2>/dev/null)" && [[ "$(cli_version "${bin}" || true)" == "${version}" ]]; then
		printf '%s\n' "${bin}"
		return 0
	fi
	build_opentofu "${version}"
}

# is_opentofu BIN: succeed when BIN is OpenTofu rather than HashiCorp
# Terraform.
is_opentofu() {
	local out
	out="$(TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null)" || true
	[[ "${out%%$'\n'*}" == *OpenTofu* ]]
}

# cli_name BIN: "OpenTofu" or "Terraform".
cli_name() {
	if is_opentofu "$1"; then echo OpenTofu; else echo Terraform; fi
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

# terraform_bin_with_actions: the same, passing over CLIs without actions
# (scripts/terraform-bin.sh --actions).
terraform_bin_with_actions() {
	"${PROJECT_ROOT}/scripts/terraform-bin.sh" --actions
}
