package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// rfc3339Value is an instant as the RFC 3339 string state holds, or null
// for the zero time (the API's value could not be read).
func rfc3339Value(t time.Time) tftypes.Value {
	if t.IsZero() {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, t.UTC().Truncate(time.Second).Format(time.RFC3339))
}

// answerStringValue is answerString for states built as tftypes values.
func answerStringValue(v string, withheld bool) tftypes.Value {
	if withheld {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, v)
}

// listElementObject is the object type of the elements of a list attribute
// of a schema, so that values built directly match the schema exactly.
func listElementObject(schemaType tftypes.Object, attr string) (tftypes.Object, error) {
	list, ok := schemaType.AttributeTypes[attr].(tftypes.List)
	if !ok {
		return tftypes.Object{}, fmt.Errorf("schema attribute %s is not a list", attr)
	}
	obj, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return tftypes.Object{}, fmt.Errorf("schema attribute %s is not a list of objects", attr)
	}
	return obj, nil
}
