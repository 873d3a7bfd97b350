#!/usr/bin/env bash
# `make bench`: real Terraform plans against the SmartAG mock, offline.
#
#   1. builds the provider, the mock (internal/smartagmock/cmd/smartag-mock)
#      and the driver (internal/bench/cmd/smartag-bench) into a temp dir;
#   2. writes a dev_overrides CLI config for that provider (lib.sh);
#   3. builds the baseline provider, the same way, from the git revision
#      BENCH_BASELINE (default: the last commit before the rate governor was
#      wired into the request path), so that "nothing got slower" is a ratio
#      measured side by side; BENCH_BASELINE= (empty) skips it;
#   4. runs the driver with the CLI from scripts/terraform-bin.sh: seven
#      scenarios (overlap, throttling, large answer, per-read overhead, the
#      instance-wide audit, flow control of single reads and of the audit),
#      then the read-path Go benchmarks; it prints a table and writes
#      bench-results/bench-<UTC time>.json and bench-results/latest.json;
#   5. removes the temp dir, also on failure or Ctrl-C (the driver stops its
#      mocks and Terraform processes itself).
#
# Settings (environment, e.g. `make bench BENCH_REPEAT=5`):
#   BENCH_N (200 data sources), BENCH_PARALLELISM (10), BENCH_LATENCY (50ms),
#   BENCH_REPEAT (5 runs per measurement, medians reported),
#   BENCH_OUT (bench-results/), BENCH_GO=0 to skip the Go benchmarks,
#   BENCH_BASELINE (a git revision, see 3.).
# Arguments are passed to the driver (see `smartag-bench -h`), e.g.
# `-scenarios 6,7`.
#
# Exit status: 0 when everything was measured, targets met or not (a missed
# target prints MISSED); non-zero on a harness error.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

work=""
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [[ -n "${work}" ]]; then rm -rf "${work}"; fi
	exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

work="$(mktemp -d "${TMPDIR:-/tmp}/smartag-bench.XXXXXX")"

tf="$(terraform_bin)"
log "using $(TF_CLI_CONFIG_FILE=/dev/null "${tf}" version 2>/dev/null | sed -n 1p) (${tf})"

provider="$(build_provider "${work}/bin")"
log "building smartag-mock and smartag-bench..."
(cd "${PROJECT_ROOT}" && go build -o "${work}/smartag-mock" ./internal/smartagmock/cmd/smartag-mock) ||
	die "go build of the mock failed"
(cd "${PROJECT_ROOT}" && go build -o "${work}/smartag-bench" ./internal/bench/cmd/smartag-bench) ||
	die "go build of the benchmark driver failed"

write_cli_config "${work}/cli.tfrc" "${work}/bin"

# 8aab3f8 wired the rate governor into every request; its parent is the
# provider as it was just before.
baseline_rev="${BENCH_BASELINE-8aab3f8^}"
baseline_args=()
if [[ -n "${baseline_rev}" ]]; then
	if baseline_commit="$(git -C "${PROJECT_ROOT}" rev-parse --verify --quiet "${baseline_rev}^{commit}")"; then
		log "building the baseline provider from ${baseline_rev} (${baseline_commit:0:12})..."
		mkdir -p "${work}/baseline-src" "${work}/baseline-bin"
		git -C "${PROJECT_ROOT}" archive "${baseline_commit}" | tar -x -C "${work}/baseline-src"
		(cd "${work}/baseline-src" && GOFLAGS="-buildvcs=false" go build -o "${work}/baseline-bin/${PROVIDER_BINARY_NAME}" .) ||
			die "go build of the baseline provider (${baseline_rev}) failed"
		write_cli_config "${work}/cli-baseline.tfrc" "${work}/baseline-bin"
		baseline_args=(
			-baseline-provider "${work}/baseline-bin/${PROVIDER_BINARY_NAME}"
			-baseline-cli-config "${work}/cli-baseline.tfrc"
			-baseline-name "${baseline_rev} (${baseline_commit:0:12})"
		)
	else
		log "no git revision ${baseline_rev}: no baseline provider (set BENCH_BASELINE to a revision, or empty)"
	fi
fi

gobench=true
if [[ "${BENCH_GO:-1}" == "0" ]]; then gobench=false; fi

cd "${PROJECT_ROOT}"
"${work}/smartag-bench" \
	-terraform "${tf}" \
	-provider "${provider}" \
	-cli-config "${work}/cli.tfrc" \
	-mock "${work}/smartag-mock" \
	-root "${PROJECT_ROOT}" \
	-work "${work}" \
	-out "${BENCH_OUT:-${PROJECT_ROOT}/bench-results}" \
	-n "${BENCH_N:-200}" \
	-parallelism "${BENCH_PARALLELISM:-10}" \
	-latency "${BENCH_LATENCY:-50ms}" \
	-repeat "${BENCH_REPEAT:-5}" \
	-gobench="${gobench}" \
	"${baseline_args[@]}" \
	"$@"
