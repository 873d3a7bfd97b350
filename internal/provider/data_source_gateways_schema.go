package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (d *gatewaysDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Smart Access Gateway (SAG) instances of a region, so that an audit can `for_each` " +
			"over every gateway. Calls `DescribeSmartAccessGateways` (RAM action `smartag:DescribeSmartAccessGateways`) by " +
			"pages of 50, concurrently after the first.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The region actually used, such as `cn-shanghai`.",
			},
			"region": regionAttribute("The region to list, such as `cn-hongkong`; the API's `RegionId`. Defaults to the provider's `region`; after the read it holds the region actually used."),
			"name_regex": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep only the instances whose `name` matches this regular expression (RE2 syntax, as " +
					"Go's `regexp`; unanchored: use `^...$` for a whole-name match). Checked at plan time.",
				Validators: []validator.String{regexSyntax()},
			},
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep only the instances in this status, such as `Active`; passed to the API as its " +
					"`Status` filter.",
				Validators: []validator.String{notBlank()},
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The `smartag_id` of every instance listed, sorted: ready for `for_each = toset(...)`.",
			},
			"gateways": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every instance listed, sorted by `smartag_id`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"smartag_id": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The instance's ID (`SmartAGId`).",
					},
					"name": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The instance's name (`Name`).",
					},
					"description": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The instance's description (`Description`).",
					},
					"status": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The instance's status (`Status`), such as `Active`.",
					},
					"user_count": schema.Int64Attribute{
						Computed:            true,
						MarkdownDescription: "How many client accounts the app instance has (`UserCount`).",
					},
					"cidr_block": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The private CIDR block of the instance's clients (`CidrBlock`).",
					},
					"create_time": schema.StringAttribute{
						Computed:   true,
						CustomType: timetypes.RFC3339Type{},
						MarkdownDescription: "When the instance was created, as an RFC 3339 timestamp in UTC (the API's " +
							"`CreateTime`, unix milliseconds). Null when the API does not say.",
					},
				}},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
		},
	}
}
