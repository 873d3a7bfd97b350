package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Helpers for the typed models' fill methods.

// rfc3339 is an instant as state holds it, to the second in UTC, or null
// for the zero time (the API's value could not be read).
func rfc3339(t time.Time) timetypes.RFC3339 {
	if t.IsZero() {
		return timetypes.NewRFC3339Null()
	}
	return timetypes.NewRFC3339TimeValue(t.UTC().Truncate(time.Second))
}

// answerString is a value of an answer, or null when the client withheld
// it (it held a secret; a warning says so).
func answerString(v string, withheld bool) types.String {
	if withheld {
		return types.StringNull()
	}
	return types.StringValue(v)
}

// objectList is a list of n objects of attrTypes, the i-th with the
// attributes attrsOf(i) gives.
func objectList(attrTypes map[string]attr.Type, n int, attrsOf func(i int) map[string]attr.Value, diags *diag.Diagnostics) types.List {
	objs := make([]attr.Value, n)
	for i := range objs {
		obj, d := types.ObjectValue(attrTypes, attrsOf(i))
		diags.Append(d...)
		objs[i] = obj
	}
	list, d := types.ListValue(types.ObjectType{AttrTypes: attrTypes}, objs)
	diags.Append(d...)
	return list
}

// stringList is a list of n strings, the i-th valueOf(i).
func stringList(n int, valueOf func(i int) types.String, diags *diag.Diagnostics) types.List {
	vals := make([]attr.Value, n)
	for i := range vals {
		vals[i] = valueOf(i)
	}
	list, d := types.ListValue(types.StringType, vals)
	diags.Append(d...)
	return list
}
