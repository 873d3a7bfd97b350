// Package flowcontrol paces API requests to stay just under a rate limit
// the server enforces but does not publish.
//
// Alibaba Cloud admits a number of requests per second for each API action
// and account, and refuses the rest with HTTP 400 Throttling.User
// (Throttling, Throttling.Api). A Governor learns that number per key (the
// caller's choice, e.g. region+"/"+action) from the answers, and holds
// requests back so that few are refused. It knows nothing of HTTP or
// Terraform: a caller takes a Ticket with Acquire before each attempt and
// reports the outcome with Ticket.Done (Throttled for a throttling code,
// Success for any other answer the server processed, Failed for no usable
// answer).
// After a throttle the request can be sent again at once through Acquire:
// the governor holds it until the server has room, no backoff is needed.
//
// # Before any throttle
//
// A key sends freely, bounded only by MaxInFlight (and the optional
// MaxRate ceiling): a key never throttled costs one mutex, one small
// allocation and about 150 ns per request, and adds no latency. Starting
// slower would tax every plan for a limit most never reach; the price is
// one round of refusals when a limit is first met (the requests already in
// flight then), about 10 of 200 at parallelism 10.
//
// # The decrease measures the limit instead of guessing it
//
// AWS SDK Go v2's adaptive retry mode, like AIMD, multiplies its rate by
// β = 0.7 at each throttle (from a smoothed measure of the rate it sent)
// and climbs back along a CUBIC curve to the rate of the last throttle,
// then past it until the next throttle: a saw-tooth that spends part of
// its time above the limit (refusals) and part well below it (lost
// throughput), and whose token bucket, sized to the rate, lets a burst of a
// whole second through at once.
//
// A throttle says more than "too fast": the server refused this request
// because its last second was full. So at a throttle the governor counts
// the requests of ours the server may have admitted in the second before
// the refused one was sent (admitted, or still unanswered; answers that
// come back refused later lower the count, see "refined"), and that count
// becomes the rate. Against a rolling-window limit it is the limit
// itself; nothing is guessed and no margin is taken off it.
//
// The rate r is enforced as a sliding-window cap, not a token bucket: at
// most floor(r) requests not refused in any window of 1 s + 50 ms, spaced
// (1 s + 50 ms)/floor(r) apart (a burst of one). The cap remembers what was
// sent before the decrease, so after a first burst that filled the
// server's second the next request waits for that second to pass instead
// of being refused; refused requests free their place, since the server
// does not count them either. The 50 ms guard absorbs network jitter: it
// takes a request delayed 50 ms more than the one sent a second after it
// to squeeze floor(r)+1 into one server second. It costs 5% of the limit.
//
// Throttles of requests sent before the last decrease are stale: they
// describe a rate no longer in force, so they only correct the count of
// that decrease. One overshoot is one decrease, not a cascade.
//
// # Probing upward
//
// After a decrease the rate grows on successes as
// base + max(1, 0.1·base)·(t/10 s)³: flat for seconds, one more request per
// second after 10 s, then faster (+8 after 20 s). Since the base is a
// measure and not a fraction of one, there is no recovery phase to cross;
// a static limit costs one refused probe per ten seconds or so, a raised
// limit is found within tens of seconds. Growth stops at twice what the
// key actually sends, so an idle key does not grow without evidence.
//
// # Not every throttle is about our rate
//
// A refusal can be service-wide flow control, another tool's burst on the
// same account, or noise. Taking each one as a rate limit makes any
// adaptive limiter collapse (a 30% random refusal rate drives AIMD to its
// minimum). Three checks keep the governor from believing those:
//
//   - Contradiction: if a request sent clearly after the refused one
//     (20 ms, beyond reordering) or after its answer is admitted while the
//     refusing second still stood, the refusal was not about our rate: the
//     decrease is undone.
//   - Verification: leaving the unlimited state (3 probes) or going below
//     the last measured base (1 probe) is tested by letting requests past
//     the new cap one at a time, while the refusing second stands: if the
//     server refuses them all the decrease stands, if it admits one it is
//     undone. Each undone decrease asks one more probe of the next (up to
//     3 more), each confirmed one resets that. Three probes, not two: at
//     30% random refusals, two are both refused 9% of the time, and a
//     random refusal in the first burst then set a rate of what that burst
//     happened to send (200 reads took 30 s instead of 1 in one run of
//     twenty); three are all refused 2.7% of the time, and the next point
//     catches what is left.
//   - Fast recovery: once two decreases in a row were proved not about
//     our rate, the rate in force is suspect too, and grows as a borrowed
//     one does (doubling every second, bounded by twice what is sent)
//     instead of along the slow probe.
//   - Demonstrated floor: no decrease goes below what the server admitted
//     of ours within one second during the last 2 s, less one for jitter.
//     A real drop of the limit (someone else started sharing the quota) is
//     followed within a few seconds.
//
// A decrease made while earlier ones proved wrong (above) is not applied
// at once: requests go on flowing as before, the first admitted undoes it,
// and it applies only once three sent after it are refused too. Service-wide
// flow control refuses at random, and a refusal should then cost its own
// attempt, not a stall of everything behind it. A real limit is still met
// at once the first time (nothing has been contradicted yet).
//
// # Sharing a quota
//
// The service counts an account's requests whoever sends them. Clients
// that share nothing but the quota (two machines, each its own governor and
// cache directory) each measure their own share at their throttles. A
// measure-based decrease has no fairness force: whatever split the clients
// are in when the quota fills, each learns its share as its limit. What
// keeps the quota in use is that a key knows when it is contended, and
// then probes faster:
//
//   - A joiner's first burst is mostly refused while the other client's
//     requests age out of the server's second and free a slot now and then,
//     so one of ours is admitted while the refusing second stands. Alone
//     that would contradict the throttle (noise); but when nearly all of our
//     answers since the measure are refusals (80%, of at least 5: 30%
//     random refusals do that 0.16% of the time), it is a quota someone
//     else spends: the decrease stands.
//   - A probe step the server admits above the base measured at the last
//     throttle (the server held more of ours in one second than that base)
//     shows a share left free: the other client left, or the limit rose.
//
// Either marks the key contended for 10 s, during which its probe is also
// additive: base + max(1, 0.2·base)·t/1 s, whichever of that and the cubic
// is higher. Clients that started together and met the limit in the same
// burst each see a limit of their own and nothing more, until the cubic's
// first step (about 10 s after their last throttle) is admitted.
//
// In the simulation (Q = 20, 30 ms latency, 10 workers each, jitter 5 and
// 20 ms, three seeds): a run of 200 reads joined 3 s later by one of 100
// takes 1.20 to 1.37 times the ideal 300/Q (1.72 to 1.84 before; the
// joiner could stay at one request per second while the first run held the
// rest); the two started together, 1.06 to 1.08 (1.24). When two start
// together with 100 and 300 reads, the second admits 93 to 96 requests in
// the 5 s from 2 s after the first leaves (61 before), about the whole
// quota; with 150 and 300 the freed share is found more slowly: 54 to 91
// (49 on every run before). Three runs of 100
// started together take 1.39 times the ideal, as before: each learned a
// share at the first burst, and the last one finds the freed shares only at
// its first probe step. Refusals are 7 to 13% of admitted requests.
//
// So shares between machines converge in the sense that the quota is used
// and a freed share is taken within seconds once a client knows it is not
// alone; they are not evened out. For no refusals at all, split the quota
// between machines with the provider's max_requests_per_second
// (ALIBABA_CLOUD_SMARTAG_MAX_RPS; Options.MaxRate): each machine a ceiling
// of its share, the shares adding up to at most the action's limit (the
// ceiling spaces requests (1 s + 150 ms)/floor(M) apart, so a share of M
// uses about 0.87·M per second). Machines under their ceilings are not
// refused for flow control unless the shares add up to more than the limit,
// another tool spends the quota too, or the network delays requests by more
// than 150 ms; a machine then learns below its ceiling as above.
//
// With Options.Store, governors of several processes of one identity share
// one record per key (see package flowstate for the file behind it):
//
//   - Each grant is decided under the Store's lock against every process's
//     grants of the cap window, and recorded there, so that together they
//     keep to the learned rate as one client would; their pacing follows
//     the latest grant of any of them, and the ceiling spaces them all.
//   - The processes using a key split MaxInFlight between them.
//   - A throttle's measure counts the other processes' grants of the second
//     before the refused one, so that the rate learned is the quota's, not
//     one process's share; the rate itself is last-learned-wins, adopted by
//     the others at their next request.
//   - A key unlimited and alone syncs at most every 50 ms (its grants are
//     published then), so that a run alone pays next to nothing.
//   - A new process starts at the rate on record (the store forgets it
//     after an hour), so that its first burst is not refused.
//
// A key met after another key of the governor (or of the store) was
// throttled starts cautiously at the lowest rate measured there, doubling
// every second until a throttle of its own: the account's other actions
// are likely limited too, and 16 requests at once would be refused.
//
// # Ceiling and concurrency
//
// Options.MaxRate, if set, spaces every key's requests (1 s + 150 ms)/floor(M)
// apart, so that no closed one-second window holds more than floor(M) of
// them, the jitter of a loaded machine included (a wider guard than the
// learned cap's: the ceiling is a promise to the user); verification probes
// do not pass it. MaxInFlight
// bounds the requests of a key in flight. Waiters are served in arrival
// order; only the head of the queue is ever granted, by its own goroutine,
// so a waiter whose context ends leaves holding nothing. The governor runs
// no goroutine of its own.
//
// # Results
//
// The simulation in sim_test.go (10 workers, 30 ms latency, a server
// admitting Q per rolling second, up to 20 ms jitter): 200 reads at
// Q = 5, 15, 40 take 1.05 to 1.08 times 200/Q with 6 to 7.5% refused (15,
// 13 and 12 refusals); Q = 200 is never reached. A fan-out of 1,300
// requests over three actions at Q = 20 takes 1.07 times the ideal with
// 4.5% refused (5.9% with 16 workers). Under 30% random refusals and no
// limit, 200 reads take at most 2.9 s against 1.4 s for the retries alone,
// worst of 40 seeds at 50 ms latency and up to 20 ms jitter (1.7 s against
// 0.86 s at 30 ms); a model of AWS's algorithm in the same simulation takes
// about 3 minutes.
package flowcontrol
