package smartagmock

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Listing faults make the answers lie about what they list, the way a
// broken or hostile server does, so that a client's proof that a listing is
// complete can be tested. They apply to the paged listings
// (DescribeSmartAccessGatewayClientUsers, DescribeSmartAccessGateways) and
// to the statistics; EmptyEntries to DescribeUserOnlineClients.
const (
	// ListingShortPage: page 2 holds half of its entries.
	ListingShortPage = "short-page"
	// ListingRepeatPage: page 2 repeats page 1's entries.
	ListingRepeatPage = "repeat-page"
	// ListingHugeTotal: TotalCount is 9223372036854775807 on every page.
	ListingHugeTotal = "huge-total"
	// ListingZeroTotal: TotalCount is 0 on every page, beside its entries.
	ListingZeroTotal = "zero-total"
	// ListingNegativeTotal: TotalCount is -1 on every page.
	ListingNegativeTotal = "negative-total"
	// ListingShiftingTotal: pages after the first say one more TotalCount.
	ListingShiftingTotal = "shifting-total"
	// ListingMissingName: the statistics leave out the first name asked.
	ListingMissingName = "missing-name"
)

// ListingFaults lists every listing fault, for usage texts and checks.
var ListingFaults = []string{
	ListingShortPage, ListingRepeatPage, ListingHugeTotal, ListingZeroTotal,
	ListingNegativeTotal, ListingShiftingTotal, ListingMissingName,
}

// maxEmptyEntries bounds Faults.EmptyEntries: 4 Mi entries "{}" are 12 MiB.
const maxEmptyEntries = 4 << 20

func validateListingFaults(f Faults) []error {
	var errs []error
	if f.Listing != "" && !slices.Contains(ListingFaults, f.Listing) {
		errs = append(errs, fmt.Errorf("listing fault %q is not one of %s", f.Listing, strings.Join(ListingFaults, ", ")))
	}
	if f.ListingTimes < 0 {
		errs = append(errs, fmt.Errorf("listing times must not be negative"))
	}
	if f.EmptyEntries < 0 || f.EmptyEntries > maxEmptyEntries {
		errs = append(errs, fmt.Errorf("empty entries must be from 0 to %d, got %d", maxEmptyEntries, f.EmptyEntries))
	}
	return errs
}

func normalizeListingFaults(f Faults) Faults {
	if !slices.Contains(ListingFaults, f.Listing) {
		f.Listing = ""
	}
	f.ListingTimes = max(f.ListingTimes, 0)
	f.EmptyEntries = min(max(f.EmptyEntries, 0), maxEmptyEntries)
	return f
}

// listingFault is the listing fault for one page of a listing, or "".
// ListingTimes counts listings by their page 1: the listings a key started
// after the first ListingTimes ones are answered truthfully, so that a
// client's second reading can succeed.
func (h *Handler) listingFault(key string, pageNumber int) string {
	h.faultMu.Lock()
	defer h.faultMu.Unlock()
	f := h.faults
	if f.Listing == "" || f.Listing == ListingMissingName {
		return ""
	}
	seen, ok := h.listingsSeen[key]
	if pageNumber == 1 && (ok || len(h.listingsSeen) < maxFailFirstPairs) {
		seen++
		h.listingsSeen[key] = seen
	}
	if f.ListingTimes > 0 && seen > f.ListingTimes {
		return ""
	}
	return f.Listing
}

// listingWindow is what a page shows under the fault kind: the TotalCount
// it reports and the [from, to) slice of the total matches it lists.
func listingWindow(kind string, total int, pg page) (shownTotal int64, from, to int) {
	from, to = pg.bounds(total)
	shownTotal = int64(total)
	switch kind {
	case ListingShortPage:
		if pg.number == 2 {
			to = from + (to-from)/2
		}
	case ListingRepeatPage:
		if pg.number == 2 {
			from, to = page{number: 1, size: pg.size}.bounds(total)
		}
	case ListingHugeTotal:
		shownTotal = math.MaxInt64
	case ListingZeroTotal:
		shownTotal = 0
	case ListingNegativeTotal:
		shownTotal = -1
	case ListingShiftingTotal:
		if pg.number >= 2 {
			shownTotal++
		}
	}
	return shownTotal, from, to
}

// statisticsOmits reports whether the statistics leave out name, the first
// of a request's names: the first ListingTimes times it is asked for (every
// time when ListingTimes is 0).
func (h *Handler) statisticsOmits(instanceID, name string) bool {
	h.faultMu.Lock()
	defer h.faultMu.Unlock()
	f := h.faults
	if f.Listing != ListingMissingName {
		return false
	}
	key := counterKey("statistics", instanceID, name)
	seen, ok := h.listingsSeen[key]
	if !ok && len(h.listingsSeen) >= maxFailFirstPairs {
		return false
	}
	seen++
	h.listingsSeen[key] = seen
	return f.ListingTimes == 0 || seen <= f.ListingTimes
}

// emptyEntriesReply is a DescribeUserOnlineClients answer of n entries "{}"
// (XML: n empty <User/>): the smallest body that costs a decoder the most.
func emptyEntriesReply(c *call, n int) *reply {
	var b strings.Builder
	if c.format == formatJSON {
		b.Grow(3*n + 96)
		b.WriteString(`{"Users":{"User":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("{}")
		}
		fmt.Fprintf(&b, `]},"RequestId":%q}`, c.requestID)
		return &reply{status: 200, contentType: contentTypeJSON, body: []byte(b.String())}
	}
	b.Grow(7*n + 160)
	b.WriteString(xmlHeader + "<DescribeUserOnlineClients><Users>")
	for range n {
		b.WriteString("<User/>")
	}
	fmt.Fprintf(&b, "</Users><RequestId>%s</RequestId></DescribeUserOnlineClients>", c.requestID)
	return &reply{status: 200, contentType: contentTypeXML, body: []byte(b.String())}
}
