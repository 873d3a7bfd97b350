package sagclient

import (
	"fmt"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

// Defaults, chosen to match the Alibaba Cloud SDKs' own per-request timeouts.
const (
	DefaultMaxRetries     = 5
	DefaultReadTimeout    = 10 * time.Second
	DefaultConnectTimeout = 5 * time.Second
	// DefaultMaxAnswerBytes bounds how much of one answer is read. 10,000
	// online clients are about 600 KB of JSON; 32 MiB leaves ample room while
	// keeping a hostile endpoint from exhausting memory.
	DefaultMaxAnswerBytes = 32 << 20
)

// Config is everything a Client needs. The zero value of each optional field
// means "use the default"; nothing here is read from the environment: the
// caller (the provider) has already merged arguments and environment.
type Config struct {
	// Region is the default region; a read may override it.
	Region string
	// Endpoint overrides the regional endpoint for every region; nil means
	// defaultEndpoint(region).
	Endpoint *Endpoint

	Credentials CredentialsConfig

	// MaxRetries is the number of retries after the first attempt; 0 or
	// negative means none. Callers usually pass DefaultMaxRetries.
	MaxRetries int
	// ReadTimeout bounds one attempt, from sending the request to the end of
	// the answer; ConnectTimeout bounds establishing the connection.
	ReadTimeout    time.Duration
	ConnectTimeout time.Duration
	// MaxAnswerBytes bounds the size of one answer.
	MaxAnswerBytes int64

	// MaxRequestsPerSecond is a ceiling on the requests per second of each
	// action; 0 means none (the governor finds the API's rate by itself).
	MaxRequestsPerSecond float64
	// FlowStateDir is where the flow-control state shared with the other
	// runs of this machine is kept (flowstate.DefaultDir, usually); ""
	// means not shared.
	FlowStateDir string

	// UserAgent parts appended to the SDK's User-Agent, in order.
	UserAgent []UserAgentPart

	// Logger receives one line per attempt; nil discards.
	Logger Logger
	// Backoff overrides the retry delays (tests); nil means defaultBackoff.
	Backoff *Backoff
}

// UserAgentPart is one "name/version" token of the User-Agent header.
type UserAgentPart struct {
	Name, Version string
}

func (c Config) withDefaults() Config {
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = DefaultReadTimeout
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.MaxAnswerBytes <= 0 {
		c.MaxAnswerBytes = DefaultMaxAnswerBytes
	}
	if c.Logger == nil {
		c.Logger = discardLogger{}
	}
	if c.Backoff == nil {
		b := defaultBackoff()
		c.Backoff = &b
	}
	return c
}

// endpointFor is where a read in region goes.
func (c Config) endpointFor(region string) Endpoint {
	if c.Endpoint != nil {
		return *c.Endpoint
	}
	return defaultEndpoint(region)
}

// validateRegion refuses a malformed region before the SDK would (with
// "regionId contains invalid characters"), naming it.
func validateRegion(region string) error {
	if !idrules.RegionPattern.MatchString(region) {
		return fmt.Errorf("region %q %s", region, idrules.RegionRule)
	}
	return nil
}
