// Package provider is the Terraform side of terraform-provider-smartag:
// schemas, configuration and the glue between Terraform values and the
// sagclient package. It never speaks HTTP itself.
package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var (
	_ provider.Provider            = (*smartagProvider)(nil)
	_ provider.ProviderWithActions = (*smartagProvider)(nil)
)

// smartagProvider is one configured instance of the provider.
type smartagProvider struct {
	version string
	// getenv reads the environment; tests replace it.
	getenv func(string) string
}

// New returns the provider factory that main and the tests serve.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &smartagProvider{version: version, getenv: os.Getenv}
	}
}

func (p *smartagProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "smartag"
	resp.Version = p.version
}

func (p *smartagProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newUserOnlineClientsDataSource, newOnlineClientsDataSource, newGatewaysDataSource}
}

func (p *smartagProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

// Actions change client accounts, and only when invoked (Terraform 1.14 and
// later); CLIs without actions are served the same schema and ignore them.
func (p *smartagProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{newKickOutClientsAction, newDisableClientUserAction, newEnableClientUserAction}
}
