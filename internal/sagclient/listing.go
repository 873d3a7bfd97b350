package sagclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// A paged listing is only as good as its pages: a page short before the
// last, a page repeated, a TotalCount that is negative, absurd, or changes
// between pages, each means entries may be missing. A listing is therefore
// proved complete (every page holds exactly what TotalCount and the page
// size say it must, no entry twice) or read once more: the instance may
// have changed under the first reading. A second inconsistent reading fails
// the read; a partial listing is never passed off as whole.

// maxPages bounds a listing: a million accounts at 100 per page. A hostile
// TotalCount must not start a billion requests.
const maxPages = 10_000

// listedPage is what one page of a listing said.
type listedPage[E any] struct {
	requestID string
	total     int64
	// number is the PageNumber the answer gave; 0 when it gave none.
	number  int64
	entries []E
}

// pagedListing is one listing to read and check.
type pagedListing[E any] struct {
	action   string
	about    Subject
	pageSize int
	// entryName is what an entry's key is called, for messages
	// ("UserName"); key is the key, unique within the listing.
	entryName string
	key       func(E) string
	fetch     func(ctx context.Context, page int) (listedPage[E], error)
	scrub     *scrubber
}

// InconsistentListingError is a paged listing that could not be proved
// complete, twice in a row. It names the page and what was wrong with it.
type InconsistentListingError struct {
	Action string
	About  Subject
	// Page is the page found wrong (for the statistics, the batch of
	// names); Problem what was expected of it and what came back.
	Page    int
	Problem string
	// RequestIDs are the answers the problem is drawn from.
	RequestIDs []string
	// First is the first reading's problem, when it differs.
	First *InconsistentListingError
}

func (e *InconsistentListingError) Error() string {
	var b strings.Builder
	b.WriteString(e.Action)
	if about := e.About.String(); about != "" {
		b.WriteString(" for ")
		b.WriteString(about)
	}
	b.WriteString(": the listing is not complete, it was read twice and could not be trusted either time: ")
	b.WriteString(e.describe())
	if e.First != nil && e.First.describe() != e.describe() {
		b.WriteString("; the first reading: ")
		b.WriteString(e.First.describe())
	}
	return b.String()
}

// Unit is what Page counts: "page", or "batch" (of names) for the
// statistics.
func (e *InconsistentListingError) Unit() string {
	if e.Action == ActionDescribeUserOnlineClientStatistics {
		return "batch"
	}
	return "page"
}

func (e *InconsistentListingError) describe() string {
	s := fmt.Sprintf("%s %d: %s", e.Unit(), e.Page, e.Problem)
	if len(e.RequestIDs) > 0 {
		s += " (request IDs " + strings.Join(e.RequestIDs, ", ") + ")"
	}
	return s
}

// listAll reads every entry of l, proving the listing complete; see above.
// first, when not nil, is page 1 already read.
func listAll[E any](ctx context.Context, l pagedListing[E], first *listedPage[E]) ([]E, error) {
	entries, err := l.readOnce(ctx, first)
	var firstErr *InconsistentListingError
	if !errors.As(err, &firstErr) {
		return entries, err
	}
	entries, err = l.readOnce(ctx, nil)
	var againErr *InconsistentListingError
	if errors.As(err, &againErr) {
		againErr.First = firstErr
	}
	return entries, err
}

// readOnce reads the listing once: page 1 for the total, then the others
// concurrently.
func (l pagedListing[E]) readOnce(ctx context.Context, first *listedPage[E]) ([]E, error) {
	if first == nil {
		p, err := l.fetch(ctx, 1)
		if err != nil {
			return nil, err
		}
		first = &p
	}
	n, problem := pageCount(first.total, l.pageSize)
	if problem != "" {
		return nil, l.inconsistent(1, problem, first.requestID)
	}
	// Each page is checked as it comes, so that a lie on page 1 costs no
	// further request and a bad page stops the others.
	if err := l.checkPage(1, n, first, first); err != nil {
		return nil, err
	}
	pages := make([]listedPage[E], n)
	pages[0] = *first
	err := forEach(ctx, n-1, fanOutLimit, func(ctx context.Context, i int) error {
		p, err := l.fetch(ctx, i+2)
		if err != nil {
			return err
		}
		pages[i+1] = p
		return l.checkPage(i+2, n, first, &p)
	})
	if err != nil {
		return nil, err
	}
	return l.distinct(pages)
}

// checkPage proves that page number of n holds what page 1 (first) says
// it must.
func (l pagedListing[E]) checkPage(number, n int, first, p *listedPage[E]) error {
	total := first.total
	if p.total != total {
		return l.inconsistent(number, fmt.Sprintf("expected TotalCount %d as on page 1, got %d: the listing changed while it was read", total, p.total),
			first.requestID, p.requestID)
	}
	if p.number != 0 && p.number != int64(number) {
		return l.inconsistent(number, fmt.Sprintf("expected page %d, the answer says it is page %d", number, p.number), p.requestID)
	}
	want := l.pageSize
	if number == n {
		want = int(total) - (n-1)*l.pageSize
	}
	if len(p.entries) != want {
		return l.inconsistent(number, fmt.Sprintf("expected %d entries (TotalCount %d, %d a page), got %d", want, total, l.pageSize, len(p.entries)),
			first.requestID, p.requestID)
	}
	return nil
}

// distinct proves that no entry is listed twice (so that, every page
// being full, the entries are exactly TotalCount) and returns them in
// order.
func (l pagedListing[E]) distinct(pages []listedPage[E]) ([]E, error) {
	seen := map[string]int{}
	var out []E
	for i, p := range pages {
		number := i + 1
		for j, e := range p.entries {
			k := l.key(e)
			if k == "" {
				return nil, l.inconsistent(number, fmt.Sprintf("expected every entry to have a %s, entry %d has none", l.entryName, j), p.requestID)
			}
			if on, dup := seen[k]; dup {
				return nil, l.inconsistent(number, fmt.Sprintf("expected %d distinct entries, %s %s is listed again (already on page %d)",
					pages[0].total, l.entryName, quoted(l.scrub, k), on), pages[on-1].requestID, p.requestID)
			}
			seen[k] = number
		}
		out = append(out, p.entries...)
	}
	return out, nil
}

func (l pagedListing[E]) inconsistent(page int, problem string, requestIDs ...string) *InconsistentListingError {
	var ids []string
	for _, id := range requestIDs {
		id = snippet(l.scrub.scrub(id), 100)
		if len(ids) == 0 || ids[len(ids)-1] != id {
			ids = append(ids, id)
		}
	}
	return &InconsistentListingError{Action: l.action, About: l.about, Page: page, Problem: problem, RequestIDs: ids}
}

// pageCount is how many pages of size hold total entries, or why total
// cannot be true. It cannot overflow: total is divided before rounding up.
func pageCount(total int64, size int) (int, string) {
	switch {
	case total < 0:
		return 0, fmt.Sprintf("expected a TotalCount of 0 or more, got %d", total)
	case total > int64(maxPages)*int64(size):
		return 0, fmt.Sprintf("expected at most %d entries (%d pages of %d), got a TotalCount of %d", maxPages*size, maxPages, size, total)
	}
	pages := int(total / int64(size))
	if total%int64(size) != 0 {
		pages++
	}
	return max(pages, 1), ""
}
