package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
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
					defaultsTo("region", "the `region_id` of the CLI profile named by `profile`") + " " +
					"With none of these, reads fail with \"No region configured\".",
				Validators: []validator.String{regionName()},
			},
			"access_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The AccessKey ID of a RAM user, or the `STS.` key ID of temporary credentials; sent as " +
					"the API's `AccessKeyId`. " + defaultsTo("access_key", "") + " Set it " +
					"together with `secret_key`: the pair comes first in the credential chain, before a CLI profile, " +
					"`credentials_uri`, an ECS role and `assume_role_with_oidc`.",
				Validators: []validator.String{notBlank()},
			},
			"secret_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The AccessKey secret that goes with `access_key`. It signs each request (the API's " +
					"`Signature`, HMAC-SHA1) and is itself never sent nor logged. " + defaultsTo("secret_key", ""),
				Validators: []validator.String{notBlank()},
			},
			"security_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The STS security token that goes with temporary (`STS.`) credentials in `access_key` " +
					"and `secret_key`; sent as the API's `SecurityToken`. " + defaultsTo("security_token", "") + " It is not " +
					"renewed: once it expires, reads fail with `InvalidSecurityToken.Expired`.",
			},
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The name of the Alibaba Cloud CLI profile (the CLI's `--profile`) to take credentials " +
					"from when no access key is set, and the region from when none is set (its `region_id`). " +
					defaultsTo("profile", "") + " As in the alicloud provider, the CLI file is read only when a profile is " +
					"named: its `current` profile is not used. Supported modes: `AK`, `StsToken`, `RamRoleArn`, " +
					"`ChainableRamRoleArn`, `EcsRamRole`, `OIDC`, `CredentialsURI`; `CloudSSO`, `OAuth` and `External` " +
					"are refused with an error, since the Go SDK has no sign-in for them. The profile must exist unless an access key is set.",
				Validators: []validator.String{notBlank()},
			},
			"shared_credentials_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The path of the Alibaba Cloud CLI configuration file that holds the profiles (the " +
					"file `aliyun configure` writes), read only for a named `profile`. " +
					defaultsTo("shared_credentials_file", "`~/.aliyun/config.json`") + " A leading `~` is expanded to the home directory.",
				Validators: []validator.String{notBlank()},
			},
			"ecs_role_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The name of the RAM role attached to the ECS instance Terraform runs on; temporary " +
					"credentials then come from the instance metadata service (`100.100.100.200`) and are renewed before they " +
					"expire. Used only when no access key, named CLI profile or `credentials_uri` is set. " +
					defaultsTo("ecs_role_name", "no role") + " The SDK refuses it when `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.",
				Validators: []validator.String{notBlank()},
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Overrides the Smartag endpoint, for example with a private endpoint, a proxy or the " +
					"bundled mock. Accepts `https://host[:port]`, `http://host[:port]` or a bare `host[:port]` (HTTPS); no path " +
					"or query. Same as `endpoints.smartag`: set either, or both to the same value. " +
					defaultsTo("endpoint", "`https://smartag.<region>.aliyuncs.com`") + " An override serves every region: a data source's `region` still " +
					"sets `RegionId`, not the host. Plain `http://` to a host other than loopback draws a warning: requests " +
					"are signed, but the AccessKey ID, any security token and the answers travel unencrypted.",
				Validators: []validator.String{endpointURL()},
			},
			"sts_endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The STS endpoint, `https://host[:port]` or a bare `host[:port]`, for `AssumeRole` and `AssumeRoleWithOIDC`, used by " +
					"`assume_role`, `assume_role_with_oidc` and the CLI profiles that call STS. Same as `endpoints.sts`: set " +
					"either, or both to the same value. " + defaultsTo("sts_endpoint", "(for a profile with `sts_region`) "+
					"`sts.<sts_region>.aliyuncs.com`, then the SDK's default: `sts.<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com` "+
					"(`sts-vpc.` with `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`) when that variable is set, else `sts.aliyuncs.com`") +
					" STS is always called over HTTPS, since it answers with credentials: `http://` is refused at plan time.",
				Validators: []validator.String{notBlank(), stsEndpointURL()},
			},
			"credentials_uri": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The URL of a credentials service (for example a sidecar) that answers temporary " +
					"credentials as JSON: `Code` (`Success`), `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and " +
					"`Expiration` (`yyyy-mm-ddThh:mm:ssZ`). Used when no access key or named CLI profile is set, before " +
					"`ecs_role_name`; the credentials are fetched again 3 minutes before they expire. Redirects are refused, " +
					"and errors name only the URL's scheme and host. " + defaultsTo("credentials_uri", ""),
				Validators: []validator.String{credentialsURL()},
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "A ceiling on the requests per second this provider configuration sends for each API " +
					"action, for when other tools share the account's quota. Not needed otherwise: the provider finds the " +
					"API's rate by itself, slowing down when the service answers `Throttling*` and probing upward after " +
					"successes, and never sends faster than this ceiling in any second. Runs of this machine that share flow " +
					"control (see `flow_state_dir`) keep to it together; give each machine its part of a shared quota. From `0.1` to `10000`. " +
					defaultsTo("max_requests_per_second", "no ceiling"),
				Validators: []validator.Float64{float64validator.Between(minRequestsPerSecond, maxRequestsPerSecond)},
			},
			"flow_state_dir": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The directory where provider runs of this machine that use the same credentials " +
					"against the same endpoint share their flow control: a small file per identity (named by a hash, no " +
					"secret in it) holding the rate learned for each API action and the recent requests of every run, so that " +
					"concurrent plans (`terragrunt run-all`, CI matrices, Atlantis) pace themselves as one client and a new " +
					"run starts at the rate the last one learned (for up to an hour). `off` turns sharing off (read-only " +
					"file systems, sandboxed runners); a directory that cannot be used turns it off too, with a warning, " +
					"never an error. A leading `~` is the home directory. " +
					defaultsTo("flow_state_dir", "the user's cache directory: `$XDG_CACHE_HOME` or `~/.cache` on Linux, "+
						"`~/Library/Caches` on macOS, `%LocalAppData%` on Windows, followed by `/terraform-provider-smartag`"),
				Validators: []validator.String{notBlank()},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times a request is retried after `ServiceUnavailable`, `InternalError`, any " +
					"HTTP 5xx but `501` or a transport error (connection refused, a `client_read_timeout` expiring), so at most " +
					"`max_retries + 1` attempts. Throttling (`Throttling*`) does not count: the request waits for the " +
					"provider's rate governor and is sent again, for as long as `timeouts.read` allows. Before retry *n* the provider " +
					"waits a random time up to 0.5 s × 2ⁿ⁻¹, capped at 16 s, and never retries past the data source's " +
					"`timeouts.read`. Other errors are never retried, nor are certificate errors, a proxy's refusal and " +
					"redirects, which do not heal. `0` to `100`, in the environment variable too; `0` disables retries. " +
					defaultsTo("max_retries", "`5`"),
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
			"client_read_timeout": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How long one attempt may take, from sending the request to the end of the answer, in " +
					"milliseconds. An attempt that runs out of time is retried like a transport error. " +
					defaultsTo("client_read_timeout", "`10000` (10 s)") + " A data source's `timeouts.read` bounds the whole read, retries included.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"client_connect_timeout": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How long opening a connection to the endpoint may take, in milliseconds: the TCP connection " +
					"and the TLS handshake are each allowed this long. " + defaultsTo("client_connect_timeout", "`5000` (5 s)"),
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.ListNestedBlock{
				MarkdownDescription: "Assume a RAM role with STS `AssumeRole` before reading, for example to audit another " +
					"account. The credentials found by the rest of the chain (access key, CLI profile, `credentials_uri`, ECS " +
					"role or `assume_role_with_oidc`) call STS; the temporary credentials it returns sign the Smartag requests " +
					"and are renewed before they expire. At most one block. As in the alicloud provider, the environment " +
					"variables below fill in the block's arguments but do not enable a role without a block: `assume_role {}` does.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"role_arn": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The ARN of the role to assume, `acs:ram::<account-id>:role/<role-name>`; " +
								"STS's `RoleArn`. " + defaultsTo("assume_role.role_arn", "") + " A block without any is an error.",
							Validators: []validator.String{
								matches(idrules.RoleARNPattern, idrules.RoleARNRule),
							},
						},
						"session_name": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The role session name, 2 to 64 letters, digits or `.@-_`, shown in ActionTrail; " +
								"STS's `RoleSessionName`. " + defaultsTo("assume_role.session_name", "`terraform-provider-smartag`"),
							Validators: []validator.String{
								matches(idrules.SessionNamePattern, idrules.SessionNameRule),
							},
						},
						"session_expiration": schema.Int64Attribute{
							Optional: true,
							MarkdownDescription: "The lifetime of each STS session in seconds, from `900` to `43200` (12 hours; " +
								"more than `3600` needs a role whose maximum session duration allows it); STS's `DurationSeconds`. " +
								"Sessions are renewed before they expire. " + defaultsTo("assume_role.session_expiration", "`3600`") +
								" The variable has the same bounds.",
							Validators: []validator.Int64{int64validator.Between(minSessionExpiration, maxSessionExpiration)},
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
			"assume_role_with_oidc": schema.ListNestedBlock{
				MarkdownDescription: "Obtain credentials with STS `AssumeRoleWithOIDC`, without any AccessKey: an OIDC " +
					"token from an identity provider that a RAM OIDC provider trusts, such as a Kubernetes service account " +
					"token (ACK RRSA) or a CI system's identity token. The token file is read again at each renewal, so a " +
					"rotated token is picked up. Used, as in the alicloud provider, only when no access key, named CLI " +
					"profile, `credentials_uri` or `ecs_role_name` is set; an `assume_role` block then assumes a further " +
					"role with these credentials. At most one block; `assume_role_with_oidc {}` takes everything from the " +
					"environment variables that RRSA sets.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"oidc_provider_arn": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The ARN of the RAM OIDC identity provider, " +
								"`acs:ram::<account-id>:oidc-provider/<name>`; STS's `OIDCProviderArn`. " +
								defaultsTo("assume_role_with_oidc.oidc_provider_arn", "") + " Required from one or the other.",
							Validators: []validator.String{notBlank()},
						},
						"oidc_token_file": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The path of the file that holds the OIDC token; its content is STS's " +
								"`OIDCToken`. A leading `~` is expanded. " +
								defaultsTo("assume_role_with_oidc.oidc_token_file", "") + " Required from one or the other. " +
								"The token itself cannot be given inline (the alicloud provider's `oidc_token`): the Go SDK reads it from a file.",
							Validators: []validator.String{notBlank()},
						},
						"role_arn": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The ARN of the role to assume, `acs:ram::<account-id>:role/<role-name>`; " +
								"STS's `RoleArn`. " + defaultsTo("assume_role_with_oidc.role_arn", "") + " Required from one or the other.",
							Validators: []validator.String{
								matches(idrules.RoleARNPattern, idrules.RoleARNRule),
							},
						},
						"role_session_name": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "The role session name, 2 to 64 letters, digits or `.@-_`; STS's " +
								"`RoleSessionName`. " + defaultsTo("assume_role_with_oidc.role_session_name", "`terraform-provider-smartag`"),
							Validators: []validator.String{
								matches(idrules.SessionNamePattern, idrules.SessionNameRule),
							},
						},
						"policy": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "A RAM policy document (a JSON object) that further restricts the session's " +
								"permissions; STS's `Policy`. No default; no environment variable.",
							Validators: []validator.String{jsonObject()},
						},
						"session_expiration": schema.Int64Attribute{
							Optional: true,
							MarkdownDescription: "The lifetime of each STS session in seconds, from `900` to `3600`; STS's " +
								"`DurationSeconds`. STS allows up to the role's maximum session duration, but the Go SDK's OIDC " +
								"support refuses more than `3600`. Defaults to `3600`; no environment variable.",
							Validators: []validator.Int64{int64validator.Between(minSessionExpiration, int64(sagclient.MaxOIDCSessionExpiration.Seconds()))},
						},
					},
				},
			},
			"endpoints": schema.ListNestedBlock{
				MarkdownDescription: "Endpoint overrides in the alicloud provider's form, so that an alicloud `endpoints` " +
					"block can be copied. Only `smartag` and `sts` are read. Each is the same setting as the flat argument " +
					"(`endpoint`, `sts_endpoint`): set either, or both to the same value; different values are an error at plan time.",
				Validators: []validator.List{listvalidator.SizeAtMost(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"smartag": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "The Smartag endpoint; the same as `endpoint`, in the same forms.",
							Validators:          []validator.String{endpointURL()},
						},
						"sts": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "The STS endpoint; the same as `sts_endpoint`, in the same forms.",
							Validators:          []validator.String{notBlank(), stsEndpointURL()},
						},
					},
				},
			},
		},
	}
}
