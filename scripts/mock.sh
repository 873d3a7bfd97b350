# shellcheck shell=bash
# The smartag-mock command for scripts that run Terraform against it. Source
# it after lib.sh:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/mock.sh"
#   mock_work_dir smartag-x   # sets work; the mock stopped, work removed on exit
#   start_mock "${work}"      # sets mock_pid and mock_endpoint
#
# MOCK_START_TIMEOUT (seconds, default 30) bounds the wait for its address.

mock_pid=""
mock_endpoint=""
work=""

# mock_work_dir NAME: a temporary directory in ${work}; on exit, also on
# failure, Ctrl-C or TERM, the mock is stopped and the directory removed.
mock_work_dir() {
	trap _mock_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
_mock_cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop_mock
	if [[ -n "${work}" ]]; then rm -rf "${work}"; fi
	exit "${status}"
}

# start_mock DIR: build the mock into DIR and start it on a free loopback
# port with its built-in sample; its stdout goes to DIR/mock.log, its stderr
# to DIR/mock.err.
start_mock() {
	local dir="$1" line=""
	log "building smartag-mock..."
	(cd "${PROJECT_ROOT}" && go build -o "${dir}/smartag-mock" ./internal/smartagmock/cmd/smartag-mock) ||
		die "go build of the mock failed"

	# Its first stdout line tells the port.
	mkfifo "${dir}/mock.out"
	"${dir}/smartag-mock" --listen 127.0.0.1:0 >"${dir}/mock.out" 2>"${dir}/mock.err" &
	mock_pid=$!
	exec 3<"${dir}/mock.out"
	if ! IFS= read -r -t "${MOCK_START_TIMEOUT:-30}" line <&3; then
		cat "${dir}/mock.err" >&2 || true
		die "the mock did not print 'smartag-mock listening on http://…' within ${MOCK_START_TIMEOUT:-30}s"
	fi
	# Keep draining the mock's stdout so it never blocks on a full pipe.
	cat <&3 >"${dir}/mock.log" &
	exec 3<&-

	mock_endpoint="$(printf '%s\n' "${line}" | sed -n 's#^smartag-mock listening on \(http://127\.0\.0\.1:[0-9][0-9]*\).*$#\1#p')"
	[[ -n "${mock_endpoint}" ]] || die "unexpected first line from the mock: ${line}"
	log "mock listening on ${mock_endpoint} (pid ${mock_pid})"
}

# stop_mock: stop the mock started by start_mock, if it runs (SIGTERM, then
# SIGKILL after 5 s).
stop_mock() {
	if [[ -z "${mock_pid}" ]] || ! kill -0 "${mock_pid}" 2>/dev/null; then
		return 0
	fi
	kill "${mock_pid}" 2>/dev/null || true
	local _
	for _ in $(seq 50); do
		kill -0 "${mock_pid}" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "${mock_pid}" 2>/dev/null || true
	wait "${mock_pid}" 2>/dev/null || true
	log "mock stopped"
}
