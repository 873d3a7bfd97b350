package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

func (p *smartagProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Smart Access Gateway (Smartag) provider reads from the Alibaba Cloud Smartag API " +
			"(API version `2018-03-13`). Its arguments follow the Alibaba Cloud (`alicloud`) provider's names and " +
			"environment variables. Every argument is optional; an argument set here beats its environment variables. " +
			"Credentials are only needed when a data source is read.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The region to read from, such as `cn-shanghai`; the API's `RegionId`. It also picks " +
					"the default endpoint, `https://smartag.<region>.aliyuncs.com`. A data source's own `region` overrides it. " +
					"Defaults to `ALIBABA_CLOUD_REGION`, then `ALICLOUD_REGION`, then the `region_id` of the CLI profile in use; " +
					"with none of these, reads fail with \"No region configured\".",
				Validators: []validator.String{regionValidator()},
			},
			"access_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The AccessKey ID of a RAM user, or the `STS.` key ID of temporary credentials; sent as " +
					"the API's `AccessKeyId`. Defaults to `ALIBABA_CLOUD_ACCESS_KEY_ID`, then `ALICLOUD_ACCESS_KEY`. Set it " +
					"together with `secret_key`: the pair comes first in the credential chain, before a CLI profile and an ECS role.",
				Validators: []validator.String{notBlank()},
			},
			"secret_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The AccessKey secret that goes with `access_key`. It signs each request (the API's " +
					"`Signature`, HMAC-SHA1) and is itself never sent nor logged. Defaults to `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, " +
					"then `ALICLOUD_SECRET_KEY`.",
				Validators: []validator.String{notBlank()},
			},
			"security_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The STS security token that goes with temporary (`STS.`) credentials in `access_key` " +
					"and `secret_key`; sent as the API's `SecurityToken`. Defaults to `ALIBABA_CLOUD_SECURITY_TOKEN`, then " +
					"`ALICLOUD_SECURITY_TOKEN`. It is not renewed: once it expires, reads fail with `InvalidSecurityToken.Expired`.",
			},
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The name of the Alibaba Cloud CLI profile (the CLI's `--profile`) to take credentials " +
					"from when no access key is set, and the region from when none is set (its `region_id`). Defaults to " +
					"`ALIBABA_CLOUD_PROFILE`, then `ALICLOUD_PROFILE`, then the file's `current` profile, then `default`. " +
					"Supported modes: `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`. A profile named here or in the environment must " +
					"exist unless an access key is set.",
				Validators: []validator.String{notBlank()},
			},
			"shared_credentials_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The path of the Alibaba Cloud CLI configuration file that holds the profiles (the " +
					"file `aliyun configure` writes). Defaults to `ALIBABA_CLOUD_CONFIG_FILE`, then " +
					"`ALICLOUD_SHARED_CREDENTIALS_FILE`, then `~/.aliyun/config.json`. A file named here or in the environment " +
					"must exist unless an access key is set; the default file is skipped when absent. `~` is not expanded: use `pathexpand(\"~/...\")`.",
				Validators: []validator.String{notBlank()},
			},
			"ecs_role_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The name of the RAM role attached to the ECS instance Terraform runs on; temporary " +
					"credentials then come from the instance metadata service (`100.100.100.200`) and are renewed before they " +
					"expire. Used only when neither an access key nor a CLI profile is found. Defaults to " +
					"`ALIBABA_CLOUD_ECS_METADATA`, then `ALICLOUD_ECS_ROLE_NAME`; no default role.",
				Validators: []validator.String{notBlank()},
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Overrides the Smartag endpoint, for example with a private endpoint, a proxy or the " +
					"bundled mock. Accepts `https://host[:port]`, `http://host[:port]` or a bare `host[:port]` (HTTPS); no path " +
					"or query. Defaults to `ALIBABA_CLOUD_ENDPOINT_SMARTAG`, then `SMARTAG_ENDPOINT`, then " +
					"`https://smartag.<region>.aliyuncs.com`. An override serves every region: a data source's `region` still " +
					"sets `RegionId`, not the host. Plain `http://` to a host other than loopback draws a warning: requests " +
					"are signed, but the AccessKey ID, any security token and the answers travel unencrypted.",
				Validators: []validator.String{endpointURL()},
			},
			"sts_endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The STS endpoint (`host[:port]`, always called over HTTPS) for `AssumeRole`, used by " +
					"`assume_role` and by `RamRoleArn` profiles. Defaults to `ALIBABA_CLOUD_STS_ENDPOINT`, then (for a " +
					"`RamRoleArn` profile with `sts_region`) `sts.<sts_region>.aliyuncs.com`, then `sts.aliyuncs.com`.",
				Validators: []validator.String{notBlank()},
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "A ceiling on the requests per second this provider configuration sends for each API " +
					"action, for when other tools share the account's quota. Not needed otherwise: the provider finds the " +
					"API's rate by itself, slowing down when the service answers `Throttling*` and probing upward after " +
					"successes, and never sends faster than this ceiling in any second. From `0.1` to `10000`. Defaults to " +
					"`ALIBABA_CLOUD_SMARTAG_MAX_RPS`, then no ceiling.",
				Validators: []validator.Float64{float64validator.Between(minRequestsPerSecond, maxRequestsPerSecond)},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times a request is retried after `ServiceUnavailable`, `InternalError`, any " +
					"HTTP 5xx but `501` or a transport error (connection refused, a `client_read_timeout` expiring), so at most " +
					"`max_retries + 1` attempts. Throttling (`Throttling*`) does not count: the request waits for the " +
					"provider's rate governor and is sent again, for as long as `timeouts.read` allows. Before retry *n* the provider " +
					"waits a random time up to 0.5 s × 2ⁿ⁻¹, capped at 16 s, and never retries past the data source's " +
					"`timeouts.read`. Other errors are never retried, nor are certificate errors, a proxy's refusal and " +
					"redirects, which do not heal. `0` to `100`, in the environment variable too; `0` disables retries. Defaults to " +
					"`ALIBABA_CLOUD_MAX_RETRIES`, then `5`.",
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
			"client_read_timeout": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How long one attempt may take, from sending the request to the end of the answer, in " +
					"milliseconds. An attempt that runs out of time is retried like a transport error. Defaults to " +
					"`CLIENT_READ_TIMEOUT`, then `10000` (10 s). A data source's `timeouts.read` bounds the whole read, retries included.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"client_connect_timeout": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How long opening a connection to the endpoint may take, in milliseconds: the TCP connection " +
					"and the TLS handshake are each allowed this long. Defaults to `CLIENT_CONNECT_TIMEOUT`, then `5000` (5 s).",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.ListNestedBlock{
				MarkdownDescription: "Assume a RAM role with STS `AssumeRole` before reading, for example to audit another " +
					"account. The credentials found by the rest of the chain (access key, CLI profile or ECS role) call STS; " +
					"the temporary credentials it returns sign the Smartag requests and are renewed before they expire. At " +
					"most one block. Also enabled, without a block, by the environment variable `ALIBABA_CLOUD_ROLE_ARN`.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"role_arn": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The ARN of the role to assume, `acs:ram::<account-id>:role/<role-name>`; " +
								"STS's `RoleArn`. Defaults to `ALIBABA_CLOUD_ROLE_ARN`; a block without either is an error.",
							Validators: []validator.String{
								stringvalidator.RegexMatches(idrules.RoleARNPattern, idrules.RoleARNRule),
							},
						},
						"session_name": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The role session name, 2 to 64 letters, digits or `.@-_`, shown in ActionTrail; " +
								"STS's `RoleSessionName`. Defaults to `ALIBABA_CLOUD_ROLE_SESSION_NAME`, then `terraform-provider-smartag`.",
							Validators: []validator.String{
								stringvalidator.RegexMatches(idrules.SessionNamePattern, idrules.SessionNameRule),
							},
						},
						"session_expiration": schema.Int64Attribute{
							Optional: true,
							MarkdownDescription: "The lifetime of each STS session in seconds, from `900` to `3600`; STS's " +
								"`DurationSeconds`. Sessions are renewed before they expire. Defaults to `3600`; no environment variable.",
							Validators: []validator.Int64{int64validator.Between(900, 3600)},
						},
						"policy": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "A RAM policy document (a JSON object, for example from `jsonencode()`) that " +
								"further restricts the assumed role's permissions for this session; STS's `Policy`. No default; no environment variable.",
							Validators: []validator.String{jsonObject()},
						},
						"external_id": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The external ID the role's trust policy requires (condition `sts:ExternalId`); " +
								"STS's `ExternalId`. No default; no environment variable.",
							Validators: []validator.String{notBlank()},
						},
					},
				},
			},
		},
	}
}
