package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// These tests serve the mock's lying listings (smartagmock's listing
// faults) to real Terraform runs: an audit is complete, or it fails naming
// the action, the page and what came back; never a partial audit.

// lyingAccounts is the generated instance's size: three pages of 100.
const lyingAccounts = 300

const lyingAuditOutputs = `
output "accounts" {
  value = length(data.smartag_online_clients.audit.users)
}
output "sessions" {
  value = length(data.smartag_online_clients.audit.clients)
}
`

// listingRequests counts the client users listing requests the mock saw,
// and how many of them asked for page 1 (a reading of the listing starts
// with page 1).
func listingRequests(t *testing.T, srv *smartagmock.Server) (all, firstPages int) {
	t.Helper()
	for _, r := range srv.Requests() {
		if r.Action != sagclient.ActionDescribeSmartAccessGatewayClientUsers {
			continue
		}
		all++
		if r.Params["PageNumber"] == "1" {
			firstPages++
		}
	}
	return all, firstPages
}

// wrappedPattern is a regular expression whose spaces match any white
// space: Terraform wraps a diagnostic's lines where it likes.
func wrappedPattern(re string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(re, " ", `\s+`))
}

func TestAccOnlineClients_lyingListingFailsTheAudit(t *testing.T) {
	for _, tc := range []struct {
		fault string
		// want is what the error says; onlyFirstPages that no page after
		// page 1 was asked for (page 1 alone proves the listing wrong).
		want           string
		onlyFirstPages bool
	}{
		{smartagmock.ListingShortPage, `Page:\s+2\s+Problem:\s+expected 100 entries \(TotalCount 300, 100 a page\), got 50`, false},
		{smartagmock.ListingRepeatPage, `Problem:\s+expected 300 distinct entries, UserName "user00001" is listed again \(already on page 1\)`, false},
		{smartagmock.ListingHugeTotal, `Page:\s+1\s+Problem:\s+expected at most 1000000 entries \(10000 pages of 100\), got a TotalCount of 9223372036854775807`, true},
		{smartagmock.ListingZeroTotal, `Page:\s+1\s+Problem:\s+expected 0 entries \(TotalCount 0, 100 a page\), got 100`, true},
		{smartagmock.ListingNegativeTotal, `Problem:\s+expected a TotalCount of 0 or more, got -1`, true},
		{smartagmock.ListingShiftingTotal, `Problem:\s+expected TotalCount 300 as on page 1, got 301: the listing changed while it was read`, false},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			isolateEnv(t)
			srv := startMock(t, smartagmock.Options{GenerateUsers: lyingAccounts, Faults: smartagmock.Faults{Listing: tc.fault}})
			accTest(t, resource.TestStep{
				Config: auditConfig(srv, smartagmock.GeneratedInstanceID) + lyingAuditOutputs,
				ExpectError: wrappedPattern(`(?s)Incomplete listing from Smartag.*Action:\s+DescribeSmartAccessGatewayClientUsers.*` +
					tc.want + `.*Request IDs: [0-9A-F-]{36}.*The first reading: page.*read twice`),
			})
			all, readings := listingRequests(t, srv)
			// Each failed read is two readings: the first and the one more.
			if readings < 2 || readings%2 != 0 {
				t.Errorf("%d readings of the listing, want two per read", readings)
			}
			if tc.onlyFirstPages && all != readings {
				t.Errorf("%d listing requests for %d readings: pages after a page 1 that cannot be true were asked for", all, readings)
			}
			// Nothing is counted or read from a listing that failed.
			for _, action := range []string{sagclient.ActionDescribeUserOnlineClientStatistics, sagclient.ActionDescribeUserOnlineClients} {
				if n := srv.Count(action); n != 0 {
					t.Errorf("%s: %d requests after an incomplete listing", action, n)
				}
			}
		})
	}
}

// A listing wrong once and right when read again (the instance changed
// under the first reading) is the audit: complete, at the cost of one
// more reading.
func TestAccOnlineClients_listingRightTheSecondTimeIsTheAudit(t *testing.T) {
	for _, fault := range []string{smartagmock.ListingShortPage, smartagmock.ListingRepeatPage, smartagmock.ListingZeroTotal} {
		t.Run(fault, func(t *testing.T) {
			isolateEnv(t)
			srv := startMock(t, smartagmock.Options{GenerateUsers: lyingAccounts, OnlineEvery: 10,
				Faults: smartagmock.Faults{Listing: fault, ListingTimes: 1}})
			accTest(t, resource.TestStep{
				Config: auditConfig(srv, smartagmock.GeneratedInstanceID) + lyingAuditOutputs,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("accounts", knownvalue.Int64Exact(lyingAccounts)),
					statecheck.ExpectKnownOutputValue("sessions", knownvalue.Int64Exact(lyingAccounts/10)),
				},
			})
			// Every read counts 300 accounts in 6 batches; only the first
			// read's first reading was wrong, and cost 1 to 3 requests
			// (page 1 alone when page 1 is wrong; a bad page 2 may cancel
			// page 3).
			reads := srv.Count(sagclient.ActionDescribeUserOnlineClientStatistics) / (lyingAccounts / sagclient.StatisticsBatchSize)
			all, readings := listingRequests(t, srv)
			if reads == 0 || readings != reads+1 {
				t.Fatalf("%d readings of the listing for %d reads, want one more than reads", readings, reads)
			}
			if extra := all - 3*reads; extra < 1 || extra > 3 {
				t.Errorf("%d listing requests for %d reads: the wrong reading cost %d, want 1 to 3", all, reads, extra)
			}
		})
	}
}

// The statistics: a name asked for and missing from the answer is asked
// for once more; missing again, the audit fails naming the batch.
func TestAccOnlineClients_missingStatistics(t *testing.T) {
	t.Run("twice", func(t *testing.T) {
		isolateEnv(t)
		srv := startMock(t, smartagmock.Options{Faults: smartagmock.Faults{Listing: smartagmock.ListingMissingName}})
		accTest(t, resource.TestStep{
			Config: auditConfig(srv, sampleID) + lyingAuditOutputs,
			ExpectError: wrappedPattern(`(?s)Incomplete listing from Smartag.*Action:\s+DescribeUserOnlineClientStatistics.*` +
				`Batch:\s+1\s+Problem:.*alice.*Request IDs:.*The first reading: batch 1`),
		})
		if n := srv.Count(sagclient.ActionDescribeUserOnlineClients); n != 0 {
			t.Errorf("%d session reads after the statistics failed", n)
		}
	})
	t.Run("once", func(t *testing.T) {
		isolateEnv(t)
		srv := startMock(t, smartagmock.Options{Faults: smartagmock.Faults{Listing: smartagmock.ListingMissingName, ListingTimes: 1}})
		accTest(t, resource.TestStep{
			Config: auditConfig(srv, sampleID) + lyingAuditOutputs,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("accounts", knownvalue.Int64Exact(5)),
			},
		})
		// One batch per read, and once one more for alice.
		reads := srv.Count(sagclient.ActionDescribeSmartAccessGatewayClientUsers)
		if n := srv.Count(sagclient.ActionDescribeUserOnlineClientStatistics); reads == 0 || n != reads+1 {
			t.Errorf("%d statistics requests for %d reads, want one more than reads", n, reads)
		}
	})
}

func TestAccGateways_lyingListing(t *testing.T) {
	t.Run("fails", func(t *testing.T) {
		isolateEnv(t)
		srv := startMock(t, smartagmock.Options{GenerateUsers: 10, Faults: smartagmock.Faults{Listing: smartagmock.ListingZeroTotal}})
		accTest(t, resource.TestStep{
			Config: gatewaysTF(srv, ""),
			ExpectError: wrappedPattern(`(?s)Incomplete listing from Smartag.*Action:\s+DescribeSmartAccessGateways.*` +
				`Page:\s+1\s+Problem:\s+expected 0 entries \(TotalCount 0, 50 a page\), got 2`),
		})
		if n := srv.Count(sagclient.ActionDescribeSmartAccessGateways); n < 2 || n%2 != 0 {
			t.Errorf("%d gateway listings, want two per read", n)
		}
	})
	t.Run("right the second time", func(t *testing.T) {
		isolateEnv(t)
		srv := startMock(t, smartagmock.Options{GenerateUsers: 10, Faults: smartagmock.Faults{Listing: smartagmock.ListingHugeTotal, ListingTimes: 1}})
		accTest(t, resource.TestStep{
			Config: gatewaysTF(srv, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(gatewaysDS, tfjsonpath.New("ids"), stringsExact(smartagmock.GeneratedInstanceID, sampleID)),
			},
		})
		if n := srv.Count(sagclient.ActionDescribeSmartAccessGateways); n < 2 {
			t.Errorf("%d gateway listings, want the wrong one and at least one more", n)
		}
	})
}

// A DescribeUserOnlineClients answer of a million entries "{}" (3 MB) is
// refused at the entry past the limit, with an error that says so.
func TestAccUserOnlineClients_answerOfEmptyEntriesIsRefused(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{Faults: smartagmock.Faults{EmptyEntries: 1 << 20}})
	accTest(t, resource.TestStep{
		Config:      providerBlock(srv) + aliceWithReadTimeout("2m"),
		ExpectError: wrappedPattern(`(?s)Unexpected answer from Smartag.*lists more than the 50000 entries it may`),
	})
}
