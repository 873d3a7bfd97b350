// Package bench is the benchmark harness behind `make bench`
// (scripts/bench.sh runs the command in cmd/smartag-bench).
//
// It runs real `terraform plan`/`apply` processes (the CLI
// scripts/terraform-bin.sh picks) against the smartag-mock command and
// measures nine scenarios:
//
//  1. overlap: N data sources in one plan with -parallelism=P, the mock adding
//     L per request, against the same plan without added latency;
//  2. throttling: the same plan with a share of Throttling.User answers;
//  3. large answer: one user with 10,000 online clients (provider time from
//     the provider's own log, state size from terraform.tfstate);
//  4. per-read overhead: N reads against none, next to N reads of the
//     built-in terraform_remote_state data source (no network I/O);
//  5. audit: smartag_online_clients of 10,000 accounts, 1,000 online
//     (requests per action, read phase, provider RSS);
//  6. flow control of the N single reads under the mock's --rate-limit Q,
//     for several Q, against the same plan without a limit;
//  7. flow control of the audit under --rate-limit Q;
//  8. flow control shared by concurrent runs (each its own terraform plan)
//     against one mock: K runs together, a run joining another with one
//     state directory and with two (two machines), audits with and without
//     a learned rate on file, random refusals;
//  9. hostile answers: every DescribeUserOnlineClients answered with
//     1,048,576 entries "{}" (3 MB, the mock's --empty-entries), for one
//     smartag_user_online_clients and for an audit with 16 such answers in
//     flight at once: the plans must be refused ("too many entries") and the
//     provider's peak RSS stay under 100 MB and 250 MB, next to the same
//     plans answered normally;
//
// with a baseline provider (another build) run side by side in 1, 2 and 4
// (and 9's single read),
// then the read-path Go benchmarks (go test -bench) of internal/sagclient,
// internal/provider and internal/flowcontrol. Results are printed as a table,
// each figure with its ideal, and written as JSON. A plan that fails is a
// failed row, not a harness error.
//
// The pure parts (configuration and fixture generation, the ideals, ratios
// and refusal shares, /proc and log parsing, go test -bench output parsing)
// are unit tested; the rest needs the binaries and runs only through the
// command.
package bench
