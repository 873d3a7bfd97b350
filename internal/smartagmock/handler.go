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
	Fixture *Fixture         // nil => SampleFixture()
	Faults  Faults           // see Faults; validated by NewHandler
	Seed    int64            // seeds faults, jitter, request ids and issued credentials
	Now     func() time.Time // clock for Timestamp and STS expiry checks; nil => time.Now
	Log     io.Writer        // if set: one JSON line per request, never a secret
}

// Handler serves the mock API on any path. It is safe for concurrent use.
type Handler struct {
	now       func() time.Time
	rng       *lockedRand
	creds     map[string]Credential // read-only after NewHandler
	roles     map[string]Role       // lower-cased ARN -> role; read-only
	instances map[string]instanceData
	nonces    *nonceStore
	issued    *issuedStore
	rec       *recorder
	log       *jsonLog

	faultMu       sync.Mutex
	faults        Faults
	failFirstSeen map[string]int
}

// apiSpec is one action the mock serves.
type apiSpec struct {
	version string
	product string
}

var apis = map[string]apiSpec{
	actionDescribeOnline: {version: smartagVersion, product: productSmartag},
	actionAssumeRole:     {version: stsVersion, product: productSts},
}

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
	if err := opts.Faults.Validate(); err != nil {
		return nil, fmt.Errorf("new handler: %w", err)
	}
	fx = fx.clone()
	h := &Handler{
		now:           opts.Now,
		rng:           newLockedRand(opts.Seed),
		creds:         make(map[string]Credential, len(fx.Credentials)),
		roles:         make(map[string]Role, len(fx.Roles)),
		instances:     make(map[string]instanceData, len(fx.Instances)),
		nonces:        newNonceStore(),
		issued:        newIssuedStore(),
		rec:           newRecorder(),
		faults:        opts.Faults.normalized(),
		failFirstSeen: map[string]int{},
	}
	if h.now == nil {
		h.now = time.Now
	}
	if opts.Log != nil {
		h.log = &jsonLog{w: opts.Log}
	}
	for _, c := range fx.Credentials {
		h.creds[c.AccessKeyID] = c
	}
	for _, r := range fx.Roles {
		h.roles[strings.ToLower(r.RoleARN)] = r
	}
	for _, in := range fx.Instances {
		users := make(map[string][]Client, len(in.Users))
		for _, u := range in.Users {
			users[u.UserName] = u.Clients
		}
		h.instances[in.SmartAGID] = instanceData{region: in.Region, users: users}
	}
	return h, nil
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
	if action == actionDescribeOnline {
		h.rec.countPair(params["SmartAGId"], params["UserName"])
	}
	api, known := apis[action]
	if !known {
		return c.errorReply(errInvalidAction())
	}
	c.product = api.product
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

	switch action {
	case actionAssumeRole:
		return h.assumeRole(c)
	default:
		if who.denyRAM {
			return c.errorReply(errForbiddenRAM(strings.ToLower(api.product), action))
		}
		out := h.applyFaults(ctx, params["SmartAGId"], params["UserName"])
		if out.err != nil {
			return c.errorReply(out.err)
		}
		rep := h.describeUserOnlineClients(c)
		if out.malformed != "" {
			rep = malformedReply(out.malformed, rep)
		}
		return rep
	}
}
