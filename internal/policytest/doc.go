// Package policytest runs the Rego policies of examples/policies on the JSON
// of real plans: the provider built from this repository plans against the
// in-process SmartAG mock with Terraform or OpenTofu, `show -json` writes the
// plan, and OPA and conftest judge it (they must agree), on the plan JSON
// itself and, for OPA, in the shape HCP Terraform hands it (input.plan beside
// input.run). Hand-written inputs (the policies' own
// *_test.rego) cannot show where Terraform really puts data sources or how
// it marks unknown values; these tests do.
//
// The tests are acceptance tests: they run with TF_ACC=1, the CLI in
// TF_ACC_TERRAFORM_PATH (else terraform on PATH), and the opa and conftest
// binaries in OPA_PATH and CONFTEST_PATH (else the pinned ones, built once).
// `make policy-test` sets them all and runs the tests on each CLI of
// scripts/testacc.sh: the oldest supported Terraform, the newest Terraform
// and the newest OpenTofu.
package policytest
