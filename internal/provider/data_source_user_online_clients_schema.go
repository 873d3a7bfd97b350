package provider

import (
	"context"

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
			"action `DescribeUserOnlineClients` (RAM action `smartag:DescribeUserOnlineClients`) on every read, that is " +
			"on every plan, refresh and apply. Nobody online is not an error: the lists are then empty.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`<region>:<smartag_id>:<user_name>`, with the region actually used, such as " +
					"`cn-shanghai:sag-wfjgn0abcde12345:alice`: the same for the same lookup, whoever is online.",
			},
			"smartag_id": smartagIDAttribute(),
			"user_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The name of the client account (the user that signs in to the SAG app); the API's " +
					"`UserName`. Checked at plan time: 1 to 128 ASCII letters, digits or `_ - . @`, not starting with `-` or " +
					"`.` (what the console accepts for client accounts; the service refuses other names with " +
					"`ClientUser.NameInvalid`, reported on this attribute).",
				Validators: []validator.String{userName()},
			},
			"region": regionAttribute("The region of the SAG instance, such as `cn-hongkong`; the API's `RegionId`. Defaults " +
				"to the provider's `region`; after the read it holds the region actually used. With the " +
				"provider's `endpoint` set, requests still go to that endpoint."),
			"request_id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The `RequestId` of the answer that filled this data source, such as " +
					"`92B22889-5451-4A1D-9432-66ED5AB3DD04`: quote it to Alibaba Cloud support, or keep it in an audit trail. " +
					"New on every read.",
			},
			"client_ips": schema.ListAttribute{
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "The IP address of every online client (the API's `ClientIp`), in the order the API " +
					"returns them; the same as `clients[*].client_ip`. Empty when nobody is online.",
			},
			"clients": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "Every online client (the API's `Users.User`), in the order the API returns them. " +
					"Empty when nobody is online.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"client_ip": schema.StringAttribute{
							Computed: true,
							MarkdownDescription: "The IP address of the SAG app client, IPv4 or IPv6; the API's `ClientIp`, kept " +
								"as returned (a value that is not an IP address draws a warning).",
						},
						"online_time": schema.StringAttribute{
							Computed: true,
							MarkdownDescription: "When the client came online, in unix seconds (a string), exactly as the API " +
								"returns it (`OnlineTime`), such as `1559125519`.",
						},
						"online_since": schema.StringAttribute{
							Computed:   true,
							CustomType: timetypes.RFC3339Type{},
							MarkdownDescription: "The same instant as `online_time`, as an RFC 3339 timestamp in UTC such as " +
								"`2019-05-29T10:25:19Z`, ready for `timecmp()` and `timeadd()`. Null, with a warning, when the API's " +
								"value is not unix seconds.",
						},
					},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx),
		},
	}
}
