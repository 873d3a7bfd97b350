package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// TestAccUserOnlineClients_transientErrorsRecover: the first two answers for
// the pair fail; the read retries with fresh signatures and succeeds.
func TestAccUserOnlineClients_transientErrorsRecover(t *testing.T) {
	for _, code := range []string{"Throttling.User", "ServiceUnavailable", "InternalError", "html"} {
		t.Run(code, func(t *testing.T) {
			isolateEnv(t)
			srv := startMock(t, smartagmock.Options{Faults: smartagmock.Faults{FailFirst: 2, FailFirstCode: code}})
			accTest(t, resource.TestStep{
				Config: userConfig(srv, "alice", sampleID, "alice"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("client_ips"), knownvalue.ListSizeExact(3)),
				},
			})
			var statuses []int
			nonces := map[string]bool{}
			for _, r := range srv.Requests() {
				statuses = append(statuses, r.Status)
				nonces[r.Params["SignatureNonce"]] = true
			}
			if len(statuses) < 3 || statuses[0] < 400 || statuses[1] < 400 || statuses[2] != 200 {
				t.Errorf("want two failures then success, got statuses %v", statuses)
			}
			for i, s := range statuses[2:] {
				if s != 200 {
					t.Errorf("request %d after recovery: status %d", i+3, s)
				}
			}
			if len(nonces) != len(statuses) {
				t.Errorf("every attempt must be freshly signed: %d nonces for %d requests", len(nonces), len(statuses))
			}
		})
	}
}

// TestAccUserOnlineClients_throttlingThatNeverEnds: throttling costs time,
// not retries, so a service that refuses everything fails the read only at
// timeouts.read, with an error naming the action and the refusals.
func TestAccUserOnlineClients_throttlingThatNeverEnds(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{Faults: smartagmock.Faults{ThrottleRate: 1}})
	config := providerBlock(srv, "  max_retries = 2") + aliceWithReadTimeout("3s")
	accTest(t, resource.TestStep{
		Config:      config,
		ExpectError: regexp.MustCompile(`(?s)Read timed out.*DescribeUserOnlineClients for account "alice".*refused by\s+throttling.*flow control`),
	})
	// More than max_retries + 1 requests (refusals use no retries), but
	// paced: not the thousands three seconds allow.
	if n := srv.CountFor(sampleID, "alice"); n <= 3 || n > 300 {
		t.Errorf("the mock counted %d requests", n)
	}
}
