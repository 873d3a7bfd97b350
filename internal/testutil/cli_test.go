package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseCLIVersion(t *testing.T) {
	for _, tc := range []struct {
		out, name, version string
		actions            bool
	}{
		{"Terraform v1.16.4\non linux_amd64\n", "Terraform", "1.16.4", true},
		{"Terraform v1.14.0\n", "Terraform", "1.14.0", true},
		{"Terraform v1.14.0-beta1\n", "Terraform", "1.14.0-beta1", true},
		{"Terraform v1.13.3\non linux_amd64\n", "Terraform", "1.13.3", false},
		{"Terraform v1.11.4\non linux_amd64\n+ provider x\n", "Terraform", "1.11.4", false},
		{"Terraform v2.0.0\n", "Terraform", "2.0.0", true},
		{"OpenTofu v1.12.6\non linux_amd64\n", "OpenTofu", "1.12.6", false},
		{"OpenTofu v1.16.0\n", "OpenTofu", "1.16.0", false},
	} {
		name, v, err := ParseCLIVersion([]byte(tc.out))
		if err != nil {
			t.Errorf("%q: %v", tc.out, err)
			continue
		}
		if name != tc.name || v.Original() != tc.version {
			t.Errorf("%q: got %s %s, want %s %s", tc.out, name, v.Original(), tc.name, tc.version)
		}
		if got := (CLI{Name: name, Version: v}).HasActions(); got != tc.actions {
			t.Errorf("%q: HasActions() = %v, want %v", tc.out, got, tc.actions)
		}
	}
}

func TestParseCLIVersionRejectsOtherOutput(t *testing.T) {
	for _, out := range []string{"", "\n", "terraform 1.16.4", "Vault v1.16.4", "Terraform v", "Terraform vX.Y", "on linux_amd64\nTerraform v1.16.4"} {
		if name, v, err := ParseCLIVersion([]byte(out)); err == nil {
			t.Errorf("%q: got %s %v, want an error", out, name, v)
		}
	}
}

// fakeCLI writes an executable that prints output for `version`.
func fakeCLI(t *testing.T, output string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "terraform")
	script := "#!/bin/sh\n[ \"$1\" = version ] || exit 2\nprintf '%s' '" + output + "'\n"
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil { //nolint:gosec // an executable on purpose
		t.Fatal(err)
	}
	return path
}

func TestSkipUnlessCLIHasActions(t *testing.T) {
	for _, tc := range []struct {
		output string
		skip   bool
	}{
		{"Terraform v1.16.4\n", false},
		{"Terraform v1.11.4\n", true},
		{"OpenTofu v1.12.6\n", true},
	} {
		t.Run(tc.output, func(t *testing.T) {
			t.Setenv("TF_ACC", "1")
			t.Setenv("TF_ACC_TERRAFORM_PATH", fakeCLI(t, tc.output))
			var inner *testing.T
			var cli CLI
			t.Run("probe", func(t *testing.T) {
				inner = t
				cli = SkipUnlessCLIHasActions(t)
			})
			if inner.Skipped() != tc.skip {
				t.Errorf("skipped = %v, want %v (cli %v)", inner.Skipped(), tc.skip, cli)
			}
		})
	}
}

func TestAcceptanceCLIFailsOnABrokenCLI(t *testing.T) {
	t.Setenv("TF_ACC", "1")
	for _, path := range []string{fakeCLI(t, "not a version\n"), filepath.Join(t.TempDir(), "missing")} {
		if _, err := probeCLI(path); err == nil {
			t.Errorf("%s: probe succeeded, want an error", path)
		}
	}
}

func TestAcceptanceCLISkipsWithoutTFAcc(t *testing.T) {
	t.Setenv("TF_ACC", "")
	var inner *testing.T
	t.Run("probe", func(t *testing.T) {
		inner = t
		AcceptanceCLI(t)
	})
	if !inner.Skipped() {
		t.Error("AcceptanceCLI did not skip without TF_ACC")
	}
}
