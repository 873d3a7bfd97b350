package flowstate

import (
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

// BenchmarkUpdate is one read-modify-write of a state file holding a
// second of grants at 20 per second from four processes.
func BenchmarkUpdate(b *testing.B) {
	s := Open(b.TempDir(), "identity")
	owners := []string{"1-a", "2-b", "3-c", "4-d"}
	i := 0
	for b.Loop() {
		err := s.Update(testKey, func(sk *flowcontrol.SharedKey) {
			now := time.Now()
			sk.Grants = append(sk.Grants, flowcontrol.SharedGrant{Owner: owners[i%4], At: now})
			if len(sk.Grants) > 80 {
				sk.Grants = sk.Grants[1:]
			}
			sk.Seen[owners[i%4]] = now
			sk.Rate = flowcontrol.SharedRate{Limited: true, Rate: 20, Base: 20, At: now, Since: now}
			i++
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
