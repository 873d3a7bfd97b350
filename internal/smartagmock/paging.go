package smartagmock

import (
	"sort"
	"strconv"
	"strings"
)

const (
	defaultPageSize = 10
	maxDigits       = 9 // larger page numbers or sizes are nonsense, and cannot overflow
)

// page is a validated PageNumber/PageSize pair.
type page struct {
	number int
	size   int
}

// pageParams reads PageNumber (default 1, at least 1) and PageSize
// (default 10, 1..maxSize). An empty value counts as absent: the Go SDK never
// sends one, and other clients mean "default" by it.
func pageParams(p map[string]string, maxSize int) (page, *apiError) {
	number, ok := positiveInt(p["PageNumber"], 1)
	if !ok {
		return page{}, errInvalidParameter("Specified parameter PageNumber (%q) is not valid; it must be an integer of at least 1.",
			truncate(p["PageNumber"], 64))
	}
	size, ok := positiveInt(p["PageSize"], defaultPageSize)
	if !ok || size > maxSize {
		return page{}, errInvalidParameter("Specified parameter PageSize (%q) is not valid; it must be an integer from 1 to %d.",
			truncate(p["PageSize"], 64), maxSize)
	}
	return page{number: number, size: size}, nil
}

// positiveInt parses a decimal integer >= 1 written with digits only.
func positiveInt(s string, def int) (int, bool) {
	if s == "" {
		return def, true
	}
	if len(s) > maxDigits {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1
}

// bounds is the [from, to) slice of total items this page shows; a page past
// the end is empty.
func (pg page) bounds(total int) (from, to int) {
	from = min((pg.number-1)*pg.size, total)
	return from, min(from+pg.size, total)
}

// repeatedParam collects Name.1, Name.2, … in index order, as the SDK sends
// a list. Entries with another suffix are not part of the list and are
// ignored, like other unknown parameters.
func repeatedParam(p map[string]string, name string) []string {
	type entry struct {
		index int
		value string
	}
	var entries []entry
	prefix := name + "."
	for k, v := range p {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || rest == "" {
			continue
		}
		if i, ok := positiveInt(rest, 0); ok {
			entries = append(entries, entry{i, v})
		}
	}
	sort.Slice(entries, func(a, b int) bool { return entries[a].index < entries[b].index })
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.value
	}
	return out
}
