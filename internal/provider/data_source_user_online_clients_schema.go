package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (d *userOnlineClientsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the clients of a Smart Access Gateway (SAG) user that are online right now: who is " +
			"connected to this SAG instance with this user name, from which IP address, since when. Calls the Smartag API " +
			"action `DescribeUserOnlineClients` (RAM action `smartag:DescribeUserOnlineClients`) on every read. " +
			"Nobody online is not an error: the lists are then empty.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<region>:<smartag_id>:<user_name>`: the same for the same lookup, whoever is online.",
			},
			"smartag_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The ID of the SAG (Software) instance, such as `sag-wfjgn0abcde12345`; the API's " +
					"`SmartAGId`. Checked at plan time: `sag-` followed by lowercase letters and digits.",
				Validators: []validator.String{smartagIDValidator{}},
			},
			"user_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The client user's name; the API's `UserName`. Must not be blank; the service judges " +
					"the rest and answers `ClientUser.NameInvalid`, reported on this attribute.",
				Validators: []validator.String{notBlank()},
			},
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The region of the SAG instance, such as `cn-shanghai`; the API's `RegionId`. Defaults to the provider's region.",
				Validators:          []validator.String{regionValidator()},
			},
			"request_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The API's `RequestId` of the answer, for Alibaba Cloud support and audit trails.",
			},
			"client_ips": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The IP address of every online client (`ClientIp`), in the order the API returns them. Empty when nobody is online.",
			},
			"clients": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every online client, in the order the API returns them. Empty when nobody is online.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"client_ip": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "The IP address of the SAG app client; the API's `ClientIp`, kept as returned.",
						},
						"online_time": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "When the client came online, in unix seconds, as the API returns it (`OnlineTime`), such as `1559125519`.",
						},
						"online_since": schema.StringAttribute{
							Computed:   true,
							CustomType: timetypes.RFC3339Type{},
							MarkdownDescription: "The same instant as `online_time`, as an RFC 3339 timestamp in UTC such as " +
								"`2019-05-29T10:25:19Z`, ready for `timecmp()` and `timeadd()`. Null, with a warning, when the API's value is not unix seconds.",
						},
					},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}
