#!/usr/bin/env bash
# `make bench`: real Terraform plans against the SmartAG mock, offline.
#
#   1. builds the provider, the mock (internal/smartagmock/cmd/smartag-mock)
#      and the driver (internal/bench/cmd/smartag-bench) into a temp dir;
#   2. writes a dev_overrides CLI config for that provider (lib.sh);
#   3. builds the baseline provider, the same way, from the git ref
#      BENCH_BASELINE (default: the last release tag before HEAD, from
#      `git describe --tags`), so that "nothing got slower" is a ratio
#      measured side by side; with no release tag yet, or with
#      BENCH_BASELINE= (empty), there is no baseline column;
#   4. runs the driver with the CLI from scripts/terraform-bin.sh: nine
#      scenarios (overlap, throttling, large answer, per-read overhead, the
#      instance-wide audit, flow control of single reads, of the audit and
#      shared by concurrent runs, hostile answers),
#      then the read-path Go benchmarks (of the baseline too); it prints a
#      table and writes bench-results/bench-<UTC time>.json,
#      bench-results/latest.json and, for benchstat, bench-results/go-bench.txt
#      and go-bench-baseline.txt; a complete run of every scenario rewrites
#      the table in internal/bench/README.md (with the date and commit);
#   5. removes the temp dir, also on failure or Ctrl-C (the driver stops its
#      mocks and Terraform processes itself).
#
# Settings (environment, e.g. `make bench BENCH_REPEAT=5`):
#   BENCH_N (200 data sources), BENCH_PARALLELISM (10), BENCH_LATENCY (50ms),
#   BENCH_REPEAT (5 runs per measurement, medians reported),
#   BENCH_OUT (bench-results/), BENCH_GO=0 to skip the Go benchmarks,
#   BENCH_GO_COUNT (1: go test -count of the Go benchmarks; 6 or more for
#   benchstat to tell a difference from noise),
#   BENCH_BASELINE (a git ref: tag, branch or commit, see 3.),
#   BENCH_README (the file whose generated table a complete run rewrites,
#   default internal/bench/README.md; empty: none).
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

# The baseline: what "nothing got slower" is measured against. A fixed
# commit would break at the first history rewrite, so the default is the
# release before this commit (HEAD^, so that a tagged release is measured
# against the one before it).
if [[ -n "${BENCH_BASELINE+set}" ]]; then
	baseline_rev="${BENCH_BASELINE}"
elif baseline_rev="$(git -C "${PROJECT_ROOT}" describe --tags --abbrev=0 --match 'v[0-9]*' HEAD^ 2>/dev/null)"; then
	log "baseline: the last release tag, ${baseline_rev} (BENCH_BASELINE=<git ref> to choose another)"
else
	baseline_rev=""
	log "baseline: none (no release tag v* before HEAD yet): no baseline column; set BENCH_BASELINE=<git ref>, e.g. main"
fi
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
			-baseline-root "${work}/baseline-src"
		)
	else
		die "BENCH_BASELINE=${baseline_rev} is not a git ref here (a tag, branch or commit; empty for no baseline)"
	fi
fi

gobench=true
if [[ "${BENCH_GO:-1}" == "0" ]]; then gobench=false; fi

commit="$(git -C "${PROJECT_ROOT}" describe --tags --always --dirty --abbrev=12 2>/dev/null || echo unknown)"
readme="${BENCH_README-${PROJECT_ROOT}/internal/bench/README.md}"

cd "${PROJECT_ROOT}"
"${work}/smartag-bench" \
	-commit "${commit}" \
	-readme "${readme}" \
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
	-benchcount "${BENCH_GO_COUNT:-1}" \
	"${baseline_args[@]}" \
	"$@"
