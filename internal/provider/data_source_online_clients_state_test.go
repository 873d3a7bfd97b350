package provider

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// auditOutput is an audit of an instance with users accounts, every
// onlineEvery-th of them with one session.
func auditOutput(users, onlineEvery int) *sagclient.AuditInstanceOutput {
	out := &sagclient.AuditInstanceOutput{Region: "cn-shanghai"}
	for i := range users {
		name := fmt.Sprintf("user%05d", i)
		a := sagclient.Account{UserName: name, UserMail: name + "@example.com", Enabled: i%97 != 0, BandwidthKbps: 1000}
		if i%onlineEvery == 0 {
			a.OnlineCount = 1
			sec := int64(1764300000 + i)
			out.Clients = append(out.Clients, sagclient.OnlineClient{
				UserName: name, ClientIP: fmt.Sprintf("10.%d.%d.%d", 100+i/65536, (i/256)%256, i%256),
				OnlineTime: strconv.FormatInt(sec, 10), OnlineSince: time.Unix(sec, 0).UTC(), RequestID: fmt.Sprintf("REQ-%05d", i),
			})
		}
		out.Accounts = append(out.Accounts, a)
	}
	return out
}

// frameworkState builds the same state as onlineClientsState, the way the
// framework's reflection-based State.Set does (the configuration's type
// has every attribute): kept here only to measure the choice made there.
func frameworkState(ctx context.Context, state *tfsdk.State, cfg onlineClientsConfig, out *sagclient.AuditInstanceOutput) error {
	userTypes := map[string]attr.Type{"user_name": types.StringType, "user_mail": types.StringType, "enabled": types.BoolType, "bandwidth_kbps": types.Int64Type, "online_count": types.Int64Type}
	clientTypes := map[string]attr.Type{"user_name": types.StringType, "client_ip": types.StringType, "online_time": types.StringType, "online_since": timetypes.RFC3339Type{}, "request_id": types.StringType}
	users := make([]attr.Value, len(out.Accounts))
	for i, a := range out.Accounts {
		users[i] = types.ObjectValueMust(userTypes, map[string]attr.Value{
			"user_name": types.StringValue(a.UserName), "user_mail": types.StringValue(a.UserMail), "enabled": types.BoolValue(a.Enabled),
			"bandwidth_kbps": types.Int64Value(a.BandwidthKbps), "online_count": types.Int64Value(int64(a.OnlineCount)),
		})
	}
	clients := make([]attr.Value, len(out.Clients))
	ips := make([]attr.Value, len(out.Clients))
	for i, c := range out.Clients {
		ips[i] = types.StringValue(c.ClientIP)
		clients[i] = types.ObjectValueMust(clientTypes, map[string]attr.Value{
			"user_name": types.StringValue(c.UserName), "client_ip": ips[i], "online_time": types.StringValue(c.OnlineTime),
			"online_since": timetypes.NewRFC3339TimeValue(c.OnlineSince), "request_id": types.StringValue(c.RequestID),
		})
	}
	m := onlineClientsConfig{
		ID: types.StringValue(out.Region + ":" + cfg.SmartAGID.ValueString()), SmartAGID: cfg.SmartAGID, Region: types.StringValue(out.Region), UserNames: cfg.UserNames, Timeouts: cfg.Timeouts,
		Users:     types.ListValueMust(types.ObjectType{AttrTypes: userTypes}, users),
		Clients:   types.ListValueMust(types.ObjectType{AttrTypes: clientTypes}, clients),
		ClientIPs: types.ListValueMust(types.StringType, ips),
	}
	if diags := state.Set(ctx, &m); diags.HasError() {
		return fmt.Errorf("%v", diags)
	}
	return nil
}

// BenchmarkOnlineClientsState is the read path of smartag_online_clients
// after the client has answered, for an instance of 10,000 accounts with
// 1,000 online: the state built directly (what the data source does)
// against the framework's State.Set, each followed by the msgpack
// encoding sent to Terraform.
func BenchmarkOnlineClientsState(b *testing.B) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	(&onlineClientsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	sch := schemaResp.Schema
	objType, ok := sch.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		b.Fatal("schema type is not an object")
	}
	configVals := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		configVals[name] = tftypes.NewValue(typ, nil)
	}
	configVals["smartag_id"] = tftypes.NewValue(tftypes.String, "sag-bench0001")
	configRaw := tftypes.NewValue(objType, configVals)
	var cfg onlineClientsConfig
	if diags := (tfsdk.Config{Schema: sch, Raw: configRaw}).Get(ctx, &cfg); diags.HasError() {
		b.Fatal(diags)
	}
	out := auditOutput(10000, 10)

	b.Run("accounts=10000,online=1000/direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw, err := onlineClientsState(objType, configRaw, "sag-bench0001", out)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tfprotov6.NewDynamicValue(objType, raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("accounts=10000,online=1000/framework-State.Set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			state := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(objType, nil)}
			if err := frameworkState(ctx, &state, cfg, out); err != nil {
				b.Fatal(err)
			}
			if _, err := tfprotov6.NewDynamicValue(objType, state.Raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestOnlineClientsStateMatchesTheFramework: the state built directly is
// exactly the one the framework's State.Set would build.
func TestOnlineClientsStateMatchesTheFramework(t *testing.T) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	(&onlineClientsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	sch := schemaResp.Schema
	objType := sch.Type().TerraformType(ctx).(tftypes.Object) //nolint:forcetypeassert // a schema's type is an object
	configVals := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		configVals[name] = tftypes.NewValue(typ, nil)
	}
	configVals["smartag_id"] = tftypes.NewValue(tftypes.String, "sag-x1")
	configVals["user_names"] = tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "user00000")})
	configRaw := tftypes.NewValue(objType, configVals)
	var cfg onlineClientsConfig
	if diags := (tfsdk.Config{Schema: sch, Raw: configRaw}).Get(ctx, &cfg); diags.HasError() {
		t.Fatal(diags)
	}
	out := auditOutput(30, 7)
	out.Clients[1].OnlineSince = time.Time{} // an OnlineTime that was not unix seconds
	direct, err := onlineClientsState(objType, configRaw, "sag-x1", out)
	if err != nil {
		t.Fatal(err)
	}
	state := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(objType, nil)}
	if err := frameworkState(ctx, &state, cfg, out); err != nil {
		t.Fatal(err)
	}
	// The framework writes a zero time as "0001-01-01T00:00:00Z"; the data
	// source writes null, as the schema documents. Compare the rest.
	fixed, err := tftypes.Transform(state.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if p.Equal(tftypes.NewAttributePath().WithAttributeName("clients").WithElementKeyInt(1).WithAttributeName("online_since")) {
			return tftypes.NewValue(tftypes.String, nil), nil
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !direct.Equal(fixed) {
		diffs, _ := direct.Diff(fixed)
		t.Fatalf("the states differ: %v", diffs)
	}
}
