package provider

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
)

// attributeDescription finds the description of "name" or "block.name" in
// the provider schema.
func attributeDescription(t *testing.T, s schema.Schema, attr string) string {
	t.Helper()
	if block, name, nested := strings.Cut(attr, "."); nested {
		b, ok := s.Blocks[block].(schema.ListNestedBlock)
		if !ok {
			t.Fatalf("no block %s", block)
		}
		a, ok := b.NestedObject.Attributes[name]
		if !ok {
			t.Fatalf("no attribute %s", attr)
		}
		return a.GetMarkdownDescription()
	}
	a, ok := s.Attributes[attr]
	if !ok {
		t.Fatalf("no attribute %s", attr)
	}
	return a.GetMarkdownDescription()
}

// inOrder reports whether every name occurs in text, in the given order.
func inOrder(text string, names []string) bool {
	at := 0
	for _, n := range names {
		i := strings.Index(text[at:], n)
		if i < 0 {
			return false
		}
		at += i + len(n)
	}
	return true
}

func TestSchema_descriptionsNameEveryVariableInOrder(t *testing.T) {
	var resp provider.SchemaResponse
	(&smartagProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	for attr, names := range envVars {
		desc := attributeDescription(t, resp.Schema, attr)
		if !inOrder(desc, names) {
			t.Errorf("%s: the description must name %v in this order:\n%s", attr, names, desc)
		}
	}
}

func TestNoCredentialsDetail_namesEveryCredentialVariable(t *testing.T) {
	detail := noCredentialsDetail()
	for _, attr := range []string{"access_key", "secret_key", "security_token", "profile", "shared_credentials_file",
		"credentials_uri", "ecs_role_name", "assume_role_with_oidc.oidc_provider_arn", "assume_role_with_oidc.oidc_token_file",
		"assume_role_with_oidc.role_arn"} {
		if !inOrder(detail, envNames(attr)) {
			t.Errorf("the diagnostic must name %v in order:\n%s", envNames(attr), detail)
		}
	}
}

// TestDocs_tablesNameEveryVariableInOrder keeps the tables of environment
// variables in the README and the docs' template in step with envVars: the
// row of each argument (or of its block) names its variables in order.
func TestDocs_tablesNameEveryVariableInOrder(t *testing.T) {
	for file, heading := range map[string]string{
		"../../README.md":               "## Provider arguments",
		"../../templates/index.md.tmpl": "### Environment variable reference",
	} {
		t.Run(file, func(t *testing.T) { checkEnvTable(t, file, heading) })
	}
}

func checkEnvTable(t *testing.T, file, heading string) {
	readme, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), heading)
	section, _, _ = strings.Cut(section, "\n#")
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		if rest, ok := strings.CutPrefix(line, "| `"); ok {
			name, _, _ := strings.Cut(rest, "`")
			name, _, _ = strings.Cut(name, " ")
			rows[name] = line
		}
	}
	for attr, names := range envVars {
		top, _, _ := strings.Cut(attr, ".")
		row, ok := rows[attr]
		if !ok {
			row, ok = rows[top]
		}
		if !ok {
			t.Errorf("README: no row for %s", top)
			continue
		}
		if !inOrder(row, names) {
			t.Errorf("README: the row of %s must name %v in order:\n%s", top, names, row)
		}
	}
}
