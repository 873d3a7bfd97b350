package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

func (p *smartagProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Smart Access Gateway (Smartag) provider reads from the Alibaba Cloud Smartag API " +
			"(API version `2018-03-13`). Its arguments follow the Alibaba Cloud (`alicloud`) provider's names and " +
			"environment variables. Every argument is optional; credentials are only needed when a data source is read.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The region to read from, such as `cn-shanghai`; the API's `RegionId`. " +
					"A data source's own `region` overrides it. Defaults to `ALIBABA_CLOUD_REGION`, then `ALICLOUD_REGION`, " +
					"then the `region_id` of the CLI profile in use.",
				Validators: []validator.String{regionValidator()},
			},
			"access_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The AccessKey ID; the API's `AccessKeyId`. Defaults to `ALIBABA_CLOUD_ACCESS_KEY_ID`, " +
					"then `ALICLOUD_ACCESS_KEY`. Set it together with `secret_key`.",
				Validators: []validator.String{notBlank()},
			},
			"secret_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The AccessKey secret, used to sign requests; it is never sent. Defaults to " +
					"`ALIBABA_CLOUD_ACCESS_KEY_SECRET`, then `ALICLOUD_SECRET_KEY`.",
				Validators: []validator.String{notBlank()},
			},
			"security_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The STS security token that goes with temporary (`STS.`) credentials; the API's " +
					"`SecurityToken`. Defaults to `ALIBABA_CLOUD_SECURITY_TOKEN`, then `ALICLOUD_SECURITY_TOKEN`.",
			},
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The name of the Alibaba Cloud CLI profile to take credentials (and the region) from " +
					"when no access key is set. Defaults to `ALIBABA_CLOUD_PROFILE`, then `ALICLOUD_PROFILE`, then the file's " +
					"`current` profile, then `default`. Supported modes: `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`.",
				Validators: []validator.String{notBlank()},
			},
			"shared_credentials_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The Alibaba Cloud CLI configuration file holding the profiles. Defaults to " +
					"`ALIBABA_CLOUD_CONFIG_FILE`, then `ALICLOUD_SHARED_CREDENTIALS_FILE`, then `~/.aliyun/config.json`.",
				Validators: []validator.String{notBlank()},
			},
			"ecs_role_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The RAM role attached to the ECS instance Terraform runs on; credentials then come " +
					"from the instance metadata service. Used when no access key and no profile are found. Defaults to " +
					"`ALIBABA_CLOUD_ECS_METADATA`, then `ALICLOUD_ECS_ROLE_NAME`.",
				Validators: []validator.String{notBlank()},
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Overrides the Smartag endpoint, for example a private endpoint or the bundled mock. " +
					"Accepts `https://host`, `http://host:port` or a bare `host[:port]` (HTTPS). Defaults to " +
					"`ALIBABA_CLOUD_ENDPOINT_SMARTAG`, then `SMARTAG_ENDPOINT`, then `https://smartag.<region>.aliyuncs.com`. " +
					"Plain `http://` to a host other than loopback draws a warning: requests are signed, but answers travel unencrypted.",
				Validators: []validator.String{endpointURL()},
			},
			"sts_endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The STS endpoint (`host[:port]`, always called over HTTPS) used by `assume_role` and " +
					"`RamRoleArn` profiles. Defaults to `ALIBABA_CLOUD_STS_ENDPOINT`, then `sts.aliyuncs.com`.",
				Validators: []validator.String{notBlank()},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times a request is retried after throttling (`Throttling*`), " +
					"`ServiceUnavailable`, `InternalError`, any HTTP 5xx or a transport error, with exponential backoff " +
					"and jitter. Other errors are never retried. `0` disables retries. Defaults to `ALIBABA_CLOUD_MAX_RETRIES`, then `5`.",
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"client_read_timeout": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How long one request may take, from sending it to the end of the answer, in " +
					"milliseconds. Defaults to `CLIENT_READ_TIMEOUT`, then `10000`. A data source's `timeouts.read` bounds " +
					"the whole read, retries included.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"client_connect_timeout": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "How long establishing a connection may take, in milliseconds. Defaults to `CLIENT_CONNECT_TIMEOUT`, then `5000`.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.ListNestedBlock{
				MarkdownDescription: "Assume a RAM role with STS `AssumeRole`, using the credentials found by the rest of " +
					"the chain, for example to audit another account. Also enabled by `ALIBABA_CLOUD_ROLE_ARN` alone.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"role_arn": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The ARN of the role to assume, `acs:ram::<account-id>:role/<role-name>`; " +
								"STS's `RoleArn`. Defaults to `ALIBABA_CLOUD_ROLE_ARN`; required one way or the other.",
							Validators: []validator.String{
								stringvalidator.RegexMatches(roleARNPattern, "must be a RAM role ARN such as acs:ram::123456789012:role/auditor"),
							},
						},
						"session_name": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The role session name, shown in ActionTrail; STS's `RoleSessionName`. " +
								"Defaults to `ALIBABA_CLOUD_ROLE_SESSION_NAME`, then `terraform-provider-smartag`.",
							Validators: []validator.String{
								stringvalidator.RegexMatches(sessionNamePattern, "must be 2 to 64 letters, digits or the characters . @ - _"),
							},
						},
						"session_expiration": schema.Int64Attribute{
							Optional:            true,
							MarkdownDescription: "The lifetime of the STS session in seconds, from `900` to `3600`; STS's `DurationSeconds`. Defaults to `3600`.",
							Validators:          []validator.Int64{int64validator.Between(900, 3600)},
						},
						"policy": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "A RAM policy document (JSON) that further restricts the assumed role's permissions; STS's `Policy`.",
							Validators:          []validator.String{jsonObject()},
						},
						"external_id": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "The external ID the role's trust policy asks for; STS's `ExternalId`.",
							Validators:          []validator.String{notBlank()},
						},
					},
				},
			},
		},
	}
}
