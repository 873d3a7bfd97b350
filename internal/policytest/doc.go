// Package policytest runs the Rego policies of examples/policies on the JSON
// of real plans: the provider built from this repository plans against the
// in-process SmartAG mock with Terraform or OpenTofu, `show -json` writes the
// plan, and OPA judges it. Hand-written inputs (the policies' own
// *_test.rego) cannot show where Terraform really puts data sources or how
// it marks unknown values; these tests do.
//
// The tests are acceptance tests: they run with TF_ACC=1, the CLI in
// TF_ACC_TERRAFORM_PATH (else terraform on PATH) and the opa binary in
// OPA_PATH. `make policy-test` sets all three and runs them with Terraform
// and with OpenTofu.
package policytest
