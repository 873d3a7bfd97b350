#!/usr/bin/env bash
# Print the path of the OpenTofu CLI to use (stdout: the path only; messages
# go to stderr):
#
#   1. $TOFU_PATH, if set (it must be executable);
#   2. `tofu` on PATH;
#   3. OpenTofu $OPENTOFU_VERSION (default 1.10.7), built once from the Go
#      module proxy into .cache/opentofu/<version>/tofu and reused after.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ -n "${TOFU_PATH:-}" ]]; then
	[[ -f "${TOFU_PATH}" && -x "${TOFU_PATH}" ]] ||
		die "TOFU_PATH=${TOFU_PATH} is not an executable file"
	printf '%s\n' "${TOFU_PATH}"
	exit 0
fi

if bin="$(command -v tofu 2>/dev/null)"; then
	printf '%s\n' "${bin}"
	exit 0
fi

build_opentofu
