package bench

import (
	"bufio"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ProviderTimings is what the provider's own log (TF_LOG_PROVIDER=TRACE,
// TF_LOG_PATH) tells about its reads.
type ProviderTimings struct {
	// ReadMS is tf_req_duration_ms of each ReadDataSource RPC, from
	// terraform-plugin-go's "Received downstream response": from the RPC's
	// arrival in the provider to its response being ready (configuration
	// decoding, the framework, Read with its HTTP exchange, state encoding).
	ReadMS []int64
	// RequestMS is latency_ms of each "Smartag request succeeded": one HTTP
	// exchange with the SDK's decoding of the answer.
	RequestMS []int64
	// Clients is the clients field of each "read online clients".
	Clients []int64
	// AuditAccounts and AuditClients are the accounts and clients fields
	// of each "audited instance" (smartag_online_clients).
	AuditAccounts, AuditClients []int64
	// GovernorWaitMS sums governor_wait_ms over the reads: how long they
	// waited for the rate governor.
	GovernorWaitMS int64
	// AfterAuditMS is, for each "audited instance" line, the time from it
	// (the fan-out is done) to the ReadDataSource RPC's response: building
	// the state, the framework's work after Read and the encoding.
	AfterAuditMS []int64
}

// Numeric fields. The provider's log travels as JSON to Terraform, which
// prints numbers of a million and more in exponent form, quoted:
// governor_wait_ms="1.040399e+06".
var (
	reqDuration = numField("tf_req_duration_ms")
	latencyMS   = numField("latency_ms")
	clientsN    = numField("clients")
	accountsN   = numField("accounts")
	governorMS  = numField("governor_wait_ms")
)

func numField(name string) *regexp.Regexp {
	return regexp.MustCompile(`\b` + name + `=(?:"([0-9]+(?:\.[0-9]+)?(?:e\+[0-9]+)?)"|([0-9]+)\b)`)
}

// ParseProviderLog reads a Terraform log holding the provider's lines, as
// Terraform writes them:
//
//	2026-01-02T03:04:05.678Z [TRACE] provider.terraform-provider-smartag: Received downstream response: ... tf_req_duration_ms=12 tf_rpc=ReadDataSource ...
func ParseProviderLog(r io.Reader) (ProviderTimings, error) {
	var t ProviderTimings
	var audited time.Time // of the last "audited instance" not yet answered
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		head, msg, ok := strings.Cut(line, "provider.terraform-provider-smartag: ")
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(msg, "Received downstream response:") && strings.Contains(msg, "tf_rpc=ReadDataSource"):
			if v, ok := intField(reqDuration, msg); ok {
				t.ReadMS = append(t.ReadMS, v)
			}
			if at, ok := lineTime(head); ok && !audited.IsZero() {
				t.AfterAuditMS = append(t.AfterAuditMS, at.Sub(audited).Milliseconds())
				audited = time.Time{}
			}
		case strings.HasPrefix(msg, "Smartag request succeeded:"):
			if v, ok := intField(latencyMS, msg); ok {
				t.RequestMS = append(t.RequestMS, v)
			}
		case strings.HasPrefix(msg, "read online clients:"):
			if v, ok := intField(clientsN, msg); ok {
				t.Clients = append(t.Clients, v)
			}
			t.addWait(msg)
		case strings.HasPrefix(msg, "audited instance:"):
			if at, ok := lineTime(head); ok {
				audited = at
			}
			if v, ok := intField(accountsN, msg); ok {
				t.AuditAccounts = append(t.AuditAccounts, v)
			}
			if v, ok := intField(clientsN, msg); ok {
				t.AuditClients = append(t.AuditClients, v)
			}
			t.addWait(msg)
		}
	}
	return t, sc.Err()
}

// lineTime is the timestamp a Terraform log line starts with
// ("2026-11-28T12:10:01.423Z [TRACE] ...").
func lineTime(head string) (time.Time, bool) {
	stamp, _, ok := strings.Cut(head, " ")
	if !ok {
		return time.Time{}, false
	}
	at, err := time.Parse(time.RFC3339Nano, stamp)
	return at, err == nil
}

func (t *ProviderTimings) addWait(msg string) {
	if v, ok := intField(governorMS, msg); ok {
		t.GovernorWaitMS += v
	}
}

func intField(re *regexp.Regexp, s string) (int64, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(m[1]+m[2], 64) // one of them is empty
	if err != nil || v > math.MaxInt64 {
		return 0, false
	}
	return int64(math.Round(v)), true
}

// ReadProviderLog parses the log file at path.
func ReadProviderLog(path string) (ProviderTimings, error) {
	f, err := os.Open(path)
	if err != nil {
		return ProviderTimings{}, err
	}
	defer f.Close()
	return ParseProviderLog(f)
}
