package provider

import (
	"testing"

	"github.com/opensmartag/terraform-provider-smartag/internal/testutil"
)

// requireActions returns the path of the acceptance tests' CLI, or skips
// the test, with the reason, when that CLI cannot run actions: OpenTofu,
// or a Terraform older than 1.14.
func requireActions(t *testing.T) string {
	t.Helper()
	return testutil.SkipUnlessCLIHasActions(t).Path
}
