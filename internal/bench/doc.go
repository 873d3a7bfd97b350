// Package bench is the benchmark harness behind `make bench`
// (scripts/bench.sh runs the command in cmd/smartag-bench).
//
// It runs real `terraform plan`/`apply` processes (the CLI
// scripts/terraform-bin.sh picks) against the smartag-mock command and
// measures four scenarios:
//
//  1. overlap: N data sources in one plan with -parallelism=P, the mock adding
//     L per request, against the same plan without added latency;
//  2. throttling: the same plan with a share of Throttling.User answers;
//  3. large answer: one user with 10,000 online clients (provider time from
//     the provider's own log, state size from terraform.tfstate);
//  4. per-read overhead: N reads against none, next to N reads of the
//     built-in terraform_remote_state data source (no network I/O);
//
// then the read-path Go benchmarks (go test -bench) of internal/sagclient and
// internal/provider. Results are printed as a table and written as JSON.
//
// The pure parts (configuration and fixture generation, the efficiency
// math, /proc and log parsing, go test -bench output parsing) are unit
// tested; the rest needs the binaries and runs only through the command.
package bench
