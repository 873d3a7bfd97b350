package smartagmock

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestSmartagActionTable: every action of the table is complete, answers
// under an XML root named for it, and has its section in the README.
func TestSmartagActionTable(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(smartagActionTable) != len(smartagActions) {
		t.Fatalf("%d actions in the table, %d names: a name is registered twice", len(smartagActionTable), len(smartagActions))
	}
	for _, a := range smartagActionTable {
		if a.serve == nil || a.faultKey == nil || a.answer == nil {
			t.Errorf("%s: serve, faultKey and answer must all be set", a.name)
		}
		if api := apis[a.name]; api.product != productSmartag || api.version != smartagVersion {
			t.Errorf("%s: served as %+v", a.name, api)
		}
		f, ok := reflect.TypeOf(a.answer).FieldByName("XMLName")
		if root, _, _ := strings.Cut(f.Tag.Get("xml"), ","); !ok || root != a.name {
			t.Errorf("%s: the answer document's XML root is %q, want the action's name", a.name, root)
		}
		if !strings.Contains(string(readme), "\n### "+a.name+"\n") {
			t.Errorf("README.md has no section \"### %s\"", a.name)
		}
	}
}
