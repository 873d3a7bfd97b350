package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (d *onlineClientsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Audits a whole Smart Access Gateway (SAG) app instance: every client account, and every client " +
			"online right now, with who, from which address and since when, including accounts nobody remembered to list. " +
			"Reads with the fewest requests: the accounts by pages of 100 (`DescribeSmartAccessGatewayClientUsers`), their " +
			"online counts by batches of 50 (`DescribeUserOnlineClientStatistics`) and the sessions only of accounts with " +
			"someone online (`DescribeUserOnlineClients`), concurrently and within the API's flow control. For U accounts " +
			"with K online that is about U/100 + U/50 + K requests. Any error fails the whole read: an audit is never " +
			"silently partial. RAM actions: `smartag:DescribeSmartAccessGatewayClientUsers`, " +
			"`smartag:DescribeUserOnlineClientStatistics`, `smartag:DescribeUserOnlineClients`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<region>:<smartag_id>`, with the region actually used, such as `cn-shanghai:sag-wfjgn0abcde12345`.",
			},
			"smartag_id": smartagIDAttribute(),
			"region": regionAttribute("The region of the SAG instance, such as `cn-hongkong`; the API's `RegionId`. Defaults " +
				"to the provider's `region`; after the read it holds the region actually used, so policies over the plan JSON need not parse `id`."),
			"user_names": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Audit only these client accounts. Each must be an account of the instance: a name " +
					"that is not fails the read, naming it (a typo must not pass an audit silently). Unset: every account. " +
					"Each name is checked at plan time like `user_name` of `smartag_user_online_clients`.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(userName()),
				},
			},
			"users": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "Every account audited (all of the instance, or those of `user_names`), sorted by " +
					"`user_name`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"user_name": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The account's name, unique within the instance; the API's `UserName`.",
					},
					"user_mail": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The account's e-mail address (`UserMail`); empty when it has none.",
					},
					"enabled": schema.BoolAttribute{
						Computed: true,
						MarkdownDescription: "Whether the account is enabled: the API's `State` `0`. A disabled account (`State` " +
							"`1`) with clients online is worth a policy check.",
					},
					"bandwidth_kbps": schema.Int64Attribute{
						Computed:            true,
						MarkdownDescription: "The bandwidth the account's clients may use, in kbit/s (`Bandwidth`).",
					},
					"online_count": schema.Int64Attribute{
						Computed: true,
						MarkdownDescription: "How many entries of `clients` belong to this account, so the two never " +
							"disagree.",
					},
				}},
			},
			"clients": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "Every online session of the accounts audited, sorted by `user_name`, then " +
					"`online_time` (numerically), then `client_ip`. Empty when nobody is online.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"user_name": schema.StringAttribute{
						Computed:            true,
						MarkdownDescription: "The account the session belongs to.",
					},
					"client_ip": schema.StringAttribute{
						Computed: true,
						MarkdownDescription: "The IP address of the SAG app client, IPv4 or IPv6; the API's `ClientIp`, kept " +
							"as returned (a value that is not an IP address draws a warning).",
					},
					"online_time": schema.StringAttribute{
						Computed: true,
						MarkdownDescription: "When the client came online, in unix seconds (a string), exactly as the API " +
							"returns it (`OnlineTime`).",
					},
					"online_since": schema.StringAttribute{
						Computed:   true,
						CustomType: timetypes.RFC3339Type{},
						MarkdownDescription: "The same instant as `online_time`, as an RFC 3339 timestamp in UTC such as " +
							"`2019-05-29T10:25:19Z`. Null, with a warning, when the API's value is not unix seconds.",
					},
					"request_id": schema.StringAttribute{
						Computed: true,
						MarkdownDescription: "The `RequestId` of the `DescribeUserOnlineClients` answer that reported this " +
							"session: an audit report can trace each line back to an API request.",
					},
				}},
			},
			"client_ips": schema.ListAttribute{
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "The `client_ip` of each entry of `clients`, in the same order: handy for `alltrue()` " +
					"and CIDR checks.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlockWithDefault(ctx, "15m", "enough for an instance of 10,000 accounts all online at 20 requests per second per action"),
		},
	}
}
