package bench

import (
	"bufio"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
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
}

var (
	reqDuration = regexp.MustCompile(`\btf_req_duration_ms=([0-9]+)\b`)
	latencyMS   = regexp.MustCompile(`\blatency_ms=([0-9]+)\b`)
	clientsN    = regexp.MustCompile(`\bclients=([0-9]+)\b`)
)

// ParseProviderLog reads a Terraform log holding the provider's lines, as
// Terraform writes them:
//
//	2026-01-02T03:04:05.678Z [TRACE] provider.terraform-provider-smartag: Received downstream response: ... tf_req_duration_ms=12 tf_rpc=ReadDataSource ...
func ParseProviderLog(r io.Reader) (ProviderTimings, error) {
	var t ProviderTimings
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		_, msg, ok := strings.Cut(line, "provider.terraform-provider-smartag: ")
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(msg, "Received downstream response:") && strings.Contains(msg, "tf_rpc=ReadDataSource"):
			if v, ok := intField(reqDuration, msg); ok {
				t.ReadMS = append(t.ReadMS, v)
			}
		case strings.HasPrefix(msg, "Smartag request succeeded:"):
			if v, ok := intField(latencyMS, msg); ok {
				t.RequestMS = append(t.RequestMS, v)
			}
		case strings.HasPrefix(msg, "read online clients:"):
			if v, ok := intField(clientsN, msg); ok {
				t.Clients = append(t.Clients, v)
			}
		}
	}
	return t, sc.Err()
}

func intField(re *regexp.Regexp, s string) (int64, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseInt(m[1], 10, 64)
	return v, err == nil
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
