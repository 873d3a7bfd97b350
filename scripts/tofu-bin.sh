#!/usr/bin/env bash
# Print the path of the OpenTofu CLI to use (stdout: the path only; messages
# go to stderr):
#
#   1. $TOFU_PATH, if set (it must be executable);
#   2. `tofu` on PATH, when it is OpenTofu $OPENTOFU_VERSION (scripts/lib.sh);
#   3. OpenTofu $OPENTOFU_VERSION, built once from the Go module proxy into
#      .cache/opentofu/<version>/tofu and reused after.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ -n "${TOFU_PATH:-}" ]]; then
	[[ -f "${TOFU_PATH}" && -x "${TOFU_PATH}" ]] ||
		die "TOFU_PATH=${TOFU_PATH} is not an executable file"
	printf '%s\n' "${TOFU_PATH}"
	exit 0
fi

opentofu_at "${OPENTOFU_VERSION}"
