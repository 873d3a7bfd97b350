package provider

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// benchOutput is what the client returns for a user with n online clients.
func benchOutput(n int) *sagclient.DescribeUserOnlineClientsOutput {
	out := &sagclient.DescribeUserOnlineClientsOutput{
		Region:    "cn-shanghai",
		RequestID: "6C6B99AC-39EC-4A2C-9A4B-BENCH0000001",
		Clients:   make([]sagclient.OnlineClient, n),
	}
	for i := range out.Clients {
		sec := int64(1764300000 + i)
		out.Clients[i] = sagclient.OnlineClient{
			ClientIP:    fmt.Sprintf("10.%d.%d.%d", 100+i/65536, (i/256)%256, i%256),
			OnlineTime:  strconv.FormatInt(sec, 10),
			OnlineSince: time.Unix(sec, 0).UTC(),
		}
	}
	return out
}

// BenchmarkFillState is the data source's read path after the client has
// answered: fill (conversion to Terraform values), then tfsdk.State.Set (to
// the schema's tftypes value), then the msgpack encoding sent to Terraform.
// Each stage includes the ones before it.
func BenchmarkFillState(b *testing.B) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	(&userOnlineClientsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	if schemaResp.Diagnostics.HasError() {
		b.Fatal(schemaResp.Diagnostics)
	}
	sch := schemaResp.Schema
	objType, ok := sch.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		b.Fatalf("schema type %T is not an object", sch.Type().TerraformType(ctx))
	}

	// The configuration as Terraform sends it, decoded the way Read does.
	configVals := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		configVals[name] = tftypes.NewValue(typ, nil)
	}
	configVals["smartag_id"] = tftypes.NewValue(tftypes.String, "sag-bench0001")
	configVals["user_name"] = tftypes.NewValue(tftypes.String, "big")
	config := tfsdk.Config{Schema: sch, Raw: tftypes.NewValue(objType, configVals)}
	var configured userOnlineClientsModel
	if diags := config.Get(ctx, &configured); diags.HasError() {
		b.Fatal(diags)
	}

	for _, n := range []int{1, 10000} {
		out := benchOutput(n)
		stages := []struct {
			name        string
			set, encode bool
		}{
			{"fill", false, false},
			{"fill+set", true, false},
			{"fill+set+msgpack", true, true},
		}
		for _, stage := range stages {
			b.Run(fmt.Sprintf("clients=%d/%s", n, stage.name), func(b *testing.B) {
				read := func() {
					model := configured
					if diags := model.fill(ctx, out); diags.HasError() {
						b.Fatal(diags)
					}
					if !stage.set {
						return
					}
					state := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(objType, nil)}
					if diags := state.Set(ctx, &model); diags.HasError() {
						b.Fatal(diags)
					}
					if !stage.encode {
						return
					}
					if _, err := tfprotov6.NewDynamicValue(objType, state.Raw); err != nil {
						b.Fatal(err)
					}
				}
				read()
				b.ReportAllocs()
				for b.Loop() {
					read()
				}
			})
		}
	}
}
