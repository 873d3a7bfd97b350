package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Schema parts every data source shares.

// defaultReadTimeout bounds a read, retries included, unless timeouts.read
// says otherwise.
const defaultReadTimeout = 2 * time.Minute

// timeoutsBlock is the timeouts block of a data source whose read defaults
// to defaultReadTimeout.
func timeoutsBlock(ctx context.Context) schema.Block {
	return timeoutsBlockWithDefault(ctx, "2m", "")
}

// timeoutsBlockWithDefault is timeouts.Block with descriptions for the
// documentation; the schema is the same.
func timeoutsBlockWithDefault(ctx context.Context, def, why string) schema.Block {
	defText := "Defaults to `" + def + "`"
	if why != "" {
		defText += ", " + why
	}
	block := timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: "How long the whole read may take, retries, waits for the API's flow control and their " +
			"backoff included, as a duration such as `30s`, `5m` or `1h30m` (units `s`, `m`, `h`). " + defText +
			". Retries stop early rather than wait past it; a read still running when it passes fails with \"Read timed out\".",
	})
	if b, ok := block.(schema.SingleNestedBlock); ok {
		b.MarkdownDescription = "Time limits for this data source's read."
		if read, ok := b.Attributes["read"].(schema.StringAttribute); ok {
			read.Validators = append(read.Validators, positiveDuration())
			read.Description += " Zero and negative durations are refused at plan time."
			b.Attributes["read"] = read
		}
		return b
	}
	return block
}

// smartagIDAttribute is the required smartag_id of a per-instance data
// source.
func smartagIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required: true,
		MarkdownDescription: "The ID of the SAG app (Software) instance, such as `sag-wfjgn0abcde12345`; the API's " +
			"`SmartAGId`. Checked at plan time: `sag-` followed by lowercase letters and digits. An ID the region does " +
			"not know fails the read with `SAG.InstanceNoFound`, reported on this attribute.",
		Validators: []validator.String{smartagID()},
	}
}

// regionAttribute is the optional region of a data source; after the read
// it holds the region actually used.
func regionAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: description,
		Validators:          []validator.String{regionName()},
	}
}
