package sagclient

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// onlineCounts asks for the online count of every name, 50 at a time. A
// count that is not a number is -1: the sessions are then listed anyway,
// so that no session is missed because of it.
//
// Every name is an account of the instance (listed, or checked against
// the listing), and the API answers for every account: a name missing from
// an answer, or one not asked for, means the answer cannot be trusted. The
// names missing are asked for once more; missing again, the audit fails.
func (a *audit) onlineCounts(ctx context.Context, names []string) (map[string]int, error) {
	parts := batches(names, statisticsBatchSize)
	counts := make(map[string]int, len(names))
	var mu sync.Mutex
	err := forEach(ctx, len(parts), fanOutLimit, func(ctx context.Context, i int) error {
		found, err := a.countBatch(ctx, i+1, parts[i])
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for n, c := range found {
			counts[n] = c
		}
		return nil
	})
	return counts, err
}

// countBatch is the counts of one batch, asking once more for the names
// the first answer left out (all of them if it answered for others).
func (a *audit) countBatch(ctx context.Context, batch int, names []string) (map[string]int, error) {
	counts := make(map[string]int, len(names))
	askFor := func(names []string) ([]string, *InconsistentListingError, error) {
		resp, err := a.c.onlineStatistics(ctx, a.st, a.region, a.smartagID, names)
		if err != nil {
			return nil, nil, err
		}
		missing, problem := a.readCounts(resp, names, counts)
		if problem == "" {
			return nil, nil, nil
		}
		return missing, &InconsistentListingError{
			Action: ActionDescribeUserOnlineClientStatistics, About: Subject{SmartAGID: a.smartagID},
			Page: batch, Problem: problem, RequestIDs: []string{snippet(a.c.scrub.scrub(resp.RequestID), 100)},
		}, nil
	}
	missing, first, err := askFor(names)
	if err != nil || first == nil {
		return counts, err
	}
	_, again, err := askFor(missing)
	if err != nil {
		return nil, err
	}
	if again != nil {
		again.First = first
		return nil, again
	}
	return counts, nil
}

// readCounts adds the counts of resp, an answer for asked, to counts. It
// returns the names the answer left out and, when it cannot be trusted,
// what is wrong with it.
func (a *audit) readCounts(resp *statisticsAnswer, asked []string, counts map[string]int) ([]string, string) {
	want := make(map[string]bool, len(asked))
	for _, n := range asked {
		want[n] = true
	}
	answered := make(map[string]bool, len(asked))
	for _, s := range resp.Statistics {
		if !want[s.UserName] || answered[s.UserName] {
			return asked, fmt.Sprintf("expected one count for each account asked for (%d), got one for %s, which was not asked for or was answered twice",
				len(asked), quoted(a.c.scrub, s.UserName))
		}
		answered[s.UserName] = true
		n, err := strconv.Atoi(strings.TrimSpace(s.OnlineCount))
		if err != nil || n < 0 {
			a.w.add("the online count of account %s is %s, not a count; its sessions are listed anyway", quoted(a.c.scrub, s.UserName), quoted(a.c.scrub, s.OnlineCount))
			n = -1
		}
		counts[s.UserName] = n
	}
	var missing []string
	for _, n := range asked {
		if !answered[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil, ""
	}
	shown := make([]string, 0, 3)
	for _, n := range missing[:min(len(missing), 3)] {
		shown = append(shown, quoted(a.c.scrub, n))
	}
	more := ""
	if len(missing) > 3 {
		more = fmt.Sprintf(" and %d more", len(missing)-3)
	}
	return missing, fmt.Sprintf("expected a count for each account asked for (%d), got %d: no count for %s%s",
		len(asked), len(asked)-len(missing), strings.Join(shown, ", "), more)
}
