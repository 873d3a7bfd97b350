#!/usr/bin/env bash
# Print the path of one of the Terraform versions the project pins (stdout:
# the path only; messages go to stderr):
#
#   scripts/terraform-pinned.sh [newest|oldest|VERSION]
#
# newest (the default) is $TERRAFORM_VERSION, oldest $TERRAFORM_OLDEST_VERSION
# (see scripts/lib.sh). `terraform` on PATH is used when it is exactly that
# version; otherwise Terraform is built once from the Go module proxy into
# .cache/terraform/<version>/terraform (a few minutes) and reused after.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-newest}" in
newest) version="${TERRAFORM_VERSION}" ;;
oldest) version="${TERRAFORM_OLDEST_VERSION}" ;;
[0-9]*.[0-9]*.[0-9]*) version="$1" ;;
*) die "usage: ${0##*/} [newest|oldest|VERSION]" ;;
esac

terraform_at "${version}"
