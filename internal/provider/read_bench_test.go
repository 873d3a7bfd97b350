package provider

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

const benchSmartAGID = "sag-bench0001"

// benchFixture serves one user per size in sizes, named "clients-<n>", with n
// online clients each.
func benchFixture(sizes ...int) *smartagmock.Fixture {
	inst := smartagmock.Instance{SmartAGID: benchSmartAGID, Region: "cn-shanghai"}
	for _, n := range sizes {
		u := smartagmock.User{UserName: "clients-" + strconv.Itoa(n), Clients: make([]smartagmock.Client, n)}
		for i := range u.Clients {
			u.Clients[i] = smartagmock.Client{
				ClientIP:   fmt.Sprintf("10.%d.%d.%d", 100+i/65536, (i/256)%256, i%256),
				OnlineTime: strconv.Itoa(1764300000 + i),
			}
		}
		inst.Users = append(inst.Users, u)
	}
	return &smartagmock.Fixture{
		Credentials: []smartagmock.Credential{{AccessKeyID: smartagmock.SampleAccessKeyID, AccessKeySecret: smartagmock.SampleAccessKeySecret}},
		Instances:   []smartagmock.Instance{inst},
	}
}

// dynamicValue encodes vals (the other attributes null) for a schema, the
// way Terraform sends configurations.
func dynamicValue(b *testing.B, s *tfprotov6.Schema, vals map[string]tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		b.Fatalf("schema type %T is not an object", s.ValueType())
	}
	all := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		if v, ok := vals[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(t, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, all))
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

// BenchmarkReadDataSource is the provider's whole read as Terraform sees it,
// in-process: the ReadDataSource RPC of the protocol server (configuration
// decoding, the framework, the HTTP exchange with an in-process mock, SDK
// decoding, conversion, state encoding). It is what
// scenario 3 of `make bench` times through a real Terraform, without the
// plugin's gRPC transport.
func BenchmarkReadDataSource(b *testing.B) {
	ctx := context.Background()
	sizes := []int{1, 10000}
	srv, err := smartagmock.Start(smartagmock.Options{Fixture: benchFixture(sizes...)})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()

	server, err := providerserver.NewProtocol6WithError(New("bench")())()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	dsSchema := schemas.DataSourceSchemas["smartag_user_online_clients"]
	if dsSchema == nil {
		b.Fatal("no smartag_user_online_clients schema")
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4",
		Config: dynamicValue(b, schemas.Provider, map[string]tftypes.Value{
			"endpoint":   str(srv.URL),
			"region":     str("cn-shanghai"),
			"access_key": str(smartagmock.SampleAccessKeyID),
			"secret_key": str(smartagmock.SampleAccessKeySecret),
		}),
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range configured.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.Fatalf("configure: %s: %s", d.Summary, d.Detail)
		}
	}

	for _, n := range sizes {
		b.Run("clients="+strconv.Itoa(n), func(b *testing.B) {
			req := &tfprotov6.ReadDataSourceRequest{
				TypeName: "smartag_user_online_clients",
				Config: dynamicValue(b, dsSchema, map[string]tftypes.Value{
					"smartag_id": str(benchSmartAGID),
					"user_name":  str("clients-" + strconv.Itoa(n)),
				}),
			}
			read := func() {
				resp, err := server.ReadDataSource(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				for _, d := range resp.Diagnostics {
					if d.Severity == tfprotov6.DiagnosticSeverityError {
						b.Fatalf("read: %s: %s", d.Summary, d.Detail)
					}
				}
				if resp.State == nil || len(resp.State.MsgPack) == 0 {
					b.Fatal("read returned no state")
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
