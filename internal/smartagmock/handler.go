package smartagmock

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configure a Handler.
type Options struct {
	Fixture *Fixture         // nil => SampleFixture(): online times relative to now
	Faults  Faults           // see Faults; validated by NewHandler
	Seed    int64            // seeds faults, jitter, request ids and issued credentials
	Now     func() time.Time // clock for Timestamp, STS expiry and flow control; nil => time.Now
	Log     io.Writer        // if set: one JSON line per request, never a secret

	// RateLimit, if > 0, admits at most that many requests of each Smartag
	// action in any rolling second (at most MaxRateLimit); the others get
	// 400 Throttling.User. See Admitted, Refused and PeakAdmitted.
	RateLimit int

	// GenerateUsers, if > 0, adds the instance GeneratedInstanceID in
	// SampleRegion with that many accounts (see GenerateInstance), every
	// OnlineEvery-th of them online (0 => DefaultOnlineEvery, < 0 => none).
	GenerateUsers int
	OnlineEvery   int

	// STSRedirect, if set, is a fault: every STS request (AssumeRole,
	// AssumeRoleWithOIDC) is answered 307 to this absolute URL.
	STSRedirect string
}

// Handler serves the mock API on any path. It is safe for concurrent use.
type Handler struct {
	now       func() time.Time
	rng       *lockedRand
	creds     map[string]Credential      // read-only after NewHandler
	roles     map[string]Role            // lower-cased ARN -> role; read-only
	instances map[string]*instanceData   // read-only
	byRegion  map[string][]*instanceData // read-only, sorted by SmartAGId
	limiters  map[string]*rateLimiter    // one per Smartag action; the map is read-only
	nonces    *nonceStore
	issued    *issuedStore
	// oidcProviders is read-only, keyed by lowercase ARN.
	oidcProviders map[string]OIDCProvider
	rec           *recorder
	log           *jsonLog

	stsRedirect string // Options.STSRedirect; read-only

	faultMu       sync.Mutex
	faults        Faults
	failFirstSeen map[string]int
	// listingsSeen counts listings (and statistics names) for the listing
	// faults' ListingTimes.
	listingsSeen map[string]int
}

// apiSpec is one action the mock serves.
type apiSpec struct {
	version string
	product string
}

// apis is every action the mock serves: the Smartag table and STS.
var apis = func() map[string]apiSpec {
	m := map[string]apiSpec{
		actionAssumeRole: {version: stsVersion, product: productSts},
		// Anonymous: served before the signature checks.
		actionAssumeRoleWithOIDC: {version: stsVersion, product: productSts},
	}
	for _, a := range smartagActionTable {
		m[a.name] = apiSpec{version: smartagVersion, product: productSmartag}
	}
	return m
}()

const (
	formatJSON = "JSON"
	formatXML  = "XML"
)

// NewHandler validates the options and builds read-only indexes of the
// fixture, so serving needs no locks for fixture data.
func NewHandler(opts Options) (*Handler, error) {
	fx := opts.Fixture
	if fx == nil {
		fx = SampleFixture()
	}
	if err := fx.Validate(); err != nil {
		return nil, fmt.Errorf("new handler: %w", err)
	}
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("new handler: %w", err)
	}
	h := &Handler{
		now:           opts.Now,
		rng:           newLockedRand(opts.Seed),
		creds:         make(map[string]Credential, len(fx.Credentials)),
		roles:         make(map[string]Role, len(fx.Roles)),
		instances:     make(map[string]*instanceData, len(fx.Instances)+1),
		limiters:      make(map[string]*rateLimiter, len(smartagActions)),
		nonces:        newNonceStore(),
		issued:        newIssuedStore(),
		rec:           newRecorder(),
		faults:        opts.Faults.normalized(),
		failFirstSeen: map[string]int{},
		listingsSeen:  map[string]int{},
		stsRedirect:   opts.STSRedirect,
	}
	if h.now == nil {
		h.now = time.Now
	}
	if opts.Log != nil {
		h.log = &jsonLog{w: opts.Log}
	}
	fx = fx.clone()
	if opts.GenerateUsers > 0 {
		if err := addGenerated(fx, opts, h.now()); err != nil {
			return nil, fmt.Errorf("new handler: %w", err)
		}
	}
	for _, c := range fx.Credentials {
		h.creds[c.AccessKeyID] = c
	}
	for _, r := range fx.Roles {
		h.roles[strings.ToLower(r.RoleARN)] = r
	}
	h.oidcProviders = make(map[string]OIDCProvider, len(fx.OIDCProviders))
	for _, o := range fx.OIDCProviders {
		h.oidcProviders[strings.ToLower(o.ARN)] = o
	}
	for _, in := range fx.Instances {
		h.instances[in.SmartAGID] = newInstanceData(in)
	}
	h.byRegion = regionIndex(h.instances)
	for action := range smartagActions {
		h.limiters[action] = &rateLimiter{limit: opts.RateLimit}
	}
	return h, nil
}

// validate checks the options other than the fixture.
func (o Options) validate() error {
	if err := o.Faults.Validate(); err != nil {
		return err
	}
	if o.RateLimit < 0 || o.RateLimit > MaxRateLimit {
		return fmt.Errorf("invalid rate limit %d: must be 0 (none) to %d requests per second", o.RateLimit, MaxRateLimit)
	}
	if err := validSTSRedirect(o.STSRedirect); err != nil {
		return err
	}
	if o.GenerateUsers < 0 || o.GenerateUsers > MaxGeneratedUsers {
		return fmt.Errorf("invalid generated users %d: must be 0 to %d", o.GenerateUsers, MaxGeneratedUsers)
	}
	return nil
}

// addGenerated appends the generated instance to a validated fixture copy.
func addGenerated(fx *Fixture, opts Options, now time.Time) error {
	for _, in := range fx.Instances {
		if in.SmartAGID == GeneratedInstanceID {
			return fmt.Errorf("the fixture already has an instance %s, which GenerateUsers would add", GeneratedInstanceID)
		}
	}
	every := opts.OnlineEvery
	if every == 0 {
		every = DefaultOnlineEvery
	}
	fx.Instances = append(fx.Instances, GenerateInstance(GeneratedInstanceID, SampleRegion, opts.GenerateUsers, every, now))
	return nil
}

// call is the state of one request while it is being answered.
type call struct {
	params    map[string]string // nil if the request could not be parsed
	format    string
	requestID string
	host      string
	product   string
}

// ServeHTTP answers one RPC request: parse, check like the gateway, apply
// faults, run the action, then record and log what was sent.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	c := &call{requestID: h.rng.requestID(), host: r.Host, product: productSmartag, format: formatXML}
	rep := h.handle(r.Context(), r, c)
	rep.write(w, c.requestID)

	h.rec.add(RecordedRequest{
		Method:    r.Method,
		Action:    c.params["Action"],
		Params:    recordParams(c.params),
		Status:    rep.status,
		Code:      rep.code,
		RequestID: c.requestID,
	})
	h.log.write(h.now(), r.Method, c.params, rep, c.requestID, time.Since(start))
}

func (h *Handler) handle(ctx context.Context, r *http.Request, c *call) *reply {
	var body io.Reader
	if r.Body != nil {
		body = r.Body
	}
	params, err := readParams(r.URL.RawQuery, r.Header.Get("Content-Type"), body)
	if err != nil {
		// Answer in the format asked for in the query, if that much parses.
		if strings.EqualFold(r.URL.Query().Get("Format"), formatJSON) {
			c.format = formatJSON
		}
		return c.errorReply(errInvalidParameter("The request could not be parsed: %s.", err))
	}
	c.params = params
	if strings.EqualFold(params["Format"], formatJSON) {
		c.format = formatJSON
	}

	action, ok := params["Action"]
	if !ok || action == "" {
		return c.errorReply(errMissingParameter("Action"))
	}
	h.rec.countAction(truncate(action, 128))
	api, known := apis[action]
	if !known {
		return c.errorReply(errInvalidAction())
	}
	c.product = api.product
	if api.product == productSts && h.stsRedirect != "" {
		return h.stsRedirectReply(c)
	}
	if action == actionAssumeRoleWithOIDC {
		for _, name := range []string{"Timestamp", "Version"} {
			if _, ok := params[name]; !ok {
				return c.errorReply(errMissingParameter(name))
			}
		}
		if params["Version"] != api.version {
			return c.errorReply(errInvalidAction())
		}
		return h.assumeRoleWithOIDC(c)
	}
	for _, name := range commonParams {
		if _, ok := params[name]; !ok {
			return c.errorReply(errMissingParameter(name))
		}
	}
	if params["Version"] != api.version {
		return c.errorReply(errInvalidAction())
	}

	who, aerr := h.authenticate(r.Method, params)
	if aerr != nil {
		return c.errorReply(aerr)
	}
	if action == actionAssumeRole {
		return h.assumeRole(c)
	}
	return h.serveSmartag(ctx, c, action, who)
}

// serveSmartag runs an authenticated Smartag request: RAM check, flow
// control, faults, then the action itself.
func (h *Handler) serveSmartag(ctx context.Context, c *call, action string, who principal) *reply {
	params := c.params
	if action == actionDescribeOnline {
		h.rec.countPair(params["SmartAGId"], params["UserName"])
	}
	if who.denyRAM {
		return c.errorReply(errForbiddenRAM(strings.ToLower(c.product), action))
	}
	if !h.limiters[action].admit(h.now()) {
		return c.errorReply(errFlowControl())
	}
	spec := smartagActions[action]
	out := h.applyFaults(ctx, spec.faultKey(action, params))
	if out.err != nil {
		return c.errorReply(out.err)
	}
	rep := spec.serve(h, c)
	if out.malformed != "" {
		rep = malformedReply(out.malformed, rep)
	}
	return rep
}
