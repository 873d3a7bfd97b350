package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// Exit codes: 2 for a bad command line or fixture (nothing was served),
// 1 for a failure while setting up or serving.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

type config struct {
	listen           string
	data             string
	allowNonLoopback bool
	tls              bool
	certOut          string
	logPath          string
	seed             int64
	faults           smartagmock.Faults
	rateLimit        int
	generateUsers    int
	onlineEvery      int
	stsRedirect      string
}

// parseArgs parses the command line. done reports that run should return
// code right away (help shown or a flag error).
func parseArgs(args []string, stdout, stderr io.Writer) (cfg config, code int, done bool) {
	fs := flag.NewFlagSet("smartag-mock", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	fs.Usage = func() {
		fmt.Fprintf(&out, "Usage: smartag-mock [flags]\n\n"+
			"Serves a mock of the Alibaba Cloud Smartag API (%s: %s)\n"+
			"and STS AssumeRole (2015-04-01), verifying signatures like the real service.\n"+
			"The first line on stdout is \"smartag-mock listening on URL\". Stops on SIGINT/SIGTERM.\n\nFlags:\n",
			smartagmock.SmartagVersion, strings.Join(smartagmock.SmartagActions(), ", "))
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:0", "`address` to listen on (port 0 picks a free port)")
	fs.StringVar(&cfg.data, "data", "", "fixture JSON `file`; without it the built-in sample is served and its credentials printed")
	fs.BoolVar(&cfg.allowNonLoopback, "allow-non-loopback", false, "allow a --listen address that is not loopback (the mock hands out fixture credentials)")
	fs.BoolVar(&cfg.tls, "tls", false, "serve HTTPS with a freshly generated self-signed certificate")
	fs.StringVar(&cfg.certOut, "cert-out", "", "write the --tls certificate PEM to `file` (use it as SSL_CERT_FILE)")
	fs.DurationVar(&cfg.faults.Latency, "latency", 0, "fault: `duration` added to every Smartag request")
	fs.DurationVar(&cfg.faults.Jitter, "jitter", 0, "fault: uniform random extra latency up to `duration`")
	fs.Float64Var(&cfg.faults.ThrottleRate, "throttle-rate", 0, "fault: `probability` (0..1) of 400 Throttling.User")
	fs.Float64Var(&cfg.faults.UnavailableRate, "unavailable-rate", 0, "fault: `probability` (0..1) of 503 ServiceUnavailable")
	fs.Float64Var(&cfg.faults.InternalErrorRate, "internal-error-rate", 0, "fault: `probability` (0..1) of 500 InternalError")
	fs.IntVar(&cfg.faults.FailFirst, "fail-first", 0,
		"fault: fail the first `N` DescribeUserOnlineClients requests of each (instance, user) pair, and of each (action, instance) for the other actions")
	fs.StringVar(&cfg.faults.FailFirstCode, "fail-first-code", "ServiceUnavailable",
		"fault: `code` for --fail-first: Throttling, Throttling.User, Throttling.Api, ServiceUnavailable, InternalError, html or truncated")
	fs.StringVar(&cfg.faults.Malformed, "malformed", "", "fault: `kind` of broken answer: html (502 HTML page) or truncated (200, body cut in half)")
	fs.Float64Var(&cfg.faults.MalformedRate, "malformed-rate", 0, "fault: `probability` of --malformed (0 means every answer)")
	fs.StringVar(&cfg.faults.Listing, "listing-fault", "",
		"fault: `kind` of lying listing (client users, gateways, statistics): "+strings.Join(smartagmock.ListingFaults, ", "))
	fs.IntVar(&cfg.faults.ListingTimes, "listing-fault-times", 0,
		"fault: lie in the first `N` listings of each (action, instance) only, so a second reading is true (0 = every listing)")
	fs.IntVar(&cfg.faults.EmptyEntries, "empty-entries", 0,
		"fault: answer DescribeUserOnlineClients with `N` empty entries {} (a hostile body that is small but costly to decode)")
	fs.StringVar(&cfg.stsRedirect, "sts-redirect", "", "fault: answer every STS request (AssumeRole, AssumeRoleWithOIDC) with 307 to `URL`")
	fs.Int64Var(&cfg.seed, "seed", 1, "`seed` for the random source behind faults, jitter and request ids")
	fs.StringVar(&cfg.logPath, "log", "", "append one JSON line per request to `file` (never secrets)")
	fs.IntVar(&cfg.rateLimit, "rate-limit", 0,
		fmt.Sprintf("flow control: admit at most `Q` requests per Smartag action in any rolling second, refuse the rest with 400 Throttling.User (0 = none, at most %d)", smartagmock.MaxRateLimit))
	fs.IntVar(&cfg.generateUsers, "generate-users", 0,
		fmt.Sprintf("add the instance %s (%s) with `N` generated accounts user00001…", smartagmock.GeneratedInstanceID, smartagmock.SampleRegion))
	fs.IntVar(&cfg.onlineEvery, "online-every", smartagmock.DefaultOnlineEvery,
		"every `K`-th generated account has one online client (0 or less: none)")

	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		_, _ = stdout.Write(out.Bytes())
		return cfg, exitOK, true
	case err != nil:
		_, _ = stderr.Write(out.Bytes())
		return cfg, exitUsage, true
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "smartag-mock: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return cfg, exitUsage, true
	}
	return cfg, exitOK, false
}

// checkListen refuses non-loopback addresses unless allowed: the mock hands
// out fixture credentials to anyone who can reach it.
func checkListen(addr string, allowNonLoopback bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid --listen %q: %w", addr, err)
	}
	if allowNonLoopback || isLoopback(host) {
		return nil
	}
	return fmt.Errorf("refusing to listen on non-loopback address %q; pass --allow-non-loopback to allow it", addr)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	host, _, _ = strings.Cut(host, "%") // IPv6 zone
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// run is the whole command, testable without a process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, code, done := parseArgs(args, stdout, stderr)
	if done {
		return code
	}
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "smartag-mock: %v\n", err)
		return code
	}
	if err := checkListen(cfg.listen, cfg.allowNonLoopback); err != nil {
		return fail(exitUsage, err)
	}
	if cfg.certOut != "" && !cfg.tls {
		return fail(exitUsage, errors.New("--cert-out needs --tls"))
	}
	if err := cfg.faults.Validate(); err != nil {
		return fail(exitUsage, err)
	}
	fixture := smartagmock.SampleFixture()
	if cfg.data != "" {
		var err error
		if fixture, err = smartagmock.LoadFixture(cfg.data); err != nil {
			return fail(exitUsage, err)
		}
	}

	opts := cfg.options(fixture)
	if cfg.logPath != "" {
		f, err := os.OpenFile(cfg.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return fail(exitFailure, fmt.Errorf("open --log: %w", err))
		}
		defer f.Close()
		opts.Log = f
	}
	h, err := smartagmock.NewHandler(opts)
	if err != nil {
		return fail(exitUsage, err)
	}

	var cert *tls.Certificate
	scheme := "http"
	if cfg.tls {
		c, certPEM, err := smartagmock.NewSelfSignedCertificate()
		if err != nil {
			return fail(exitFailure, err)
		}
		if cfg.certOut != "" {
			// Written before the first line so a script may use it at once.
			//nolint:gosec // G306: a public certificate, meant to be read by any client
			if err := os.WriteFile(cfg.certOut, certPEM, 0o644); err != nil {
				return fail(exitFailure, fmt.Errorf("write --cert-out: %w", err))
			}
		}
		cert, scheme = &c, "https"
	}

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return fail(exitFailure, fmt.Errorf("listen: %w", err))
	}
	fmt.Fprintf(stdout, "smartag-mock listening on %s://%s\n", scheme, ln.Addr())
	flush(stdout)
	if cfg.data == "" {
		printSample(stdout, fixture)
	}
	if cfg.generateUsers > 0 {
		fmt.Fprintf(stdout, "  instance %s region=%s generated users=%d online-every=%d\n",
			smartagmock.GeneratedInstanceID, smartagmock.SampleRegion, cfg.generateUsers, max(cfg.onlineEvery, 0))
	}
	flush(stdout)

	if err := smartagmock.ListenAndServe(ctx, ln, h, cert); err != nil {
		return fail(exitFailure, err)
	}
	return exitOK
}

// options turns the flags into handler options (Log is set by run).
func (cfg config) options(fixture *smartagmock.Fixture) smartagmock.Options {
	opts := smartagmock.Options{
		Fixture: fixture, Faults: cfg.faults, Seed: cfg.seed, RateLimit: cfg.rateLimit,
		GenerateUsers: cfg.generateUsers, OnlineEvery: cfg.onlineEvery, STSRedirect: cfg.stsRedirect,
	}
	if opts.OnlineEvery == 0 {
		opts.OnlineEvery = -1 // the flag's 0 means nobody online, Options' 0 the default
	}
	return opts
}

// flush pushes buffered output (a *bufio.Writer or a file) so a script
// reading the first line is not left waiting.
func flush(w io.Writer) {
	switch f := w.(type) {
	case interface{ Flush() error }:
		_ = f.Flush()
	case interface{ Sync() error }:
		_ = f.Sync() // pipes and terminals refuse Sync; nothing to do then
	}
}

// printSample tells a human what the built-in sample accepts and holds.
func printSample(w io.Writer, f *smartagmock.Fixture) {
	fmt.Fprintln(w, "serving the built-in sample fixture:")
	for _, c := range f.Credentials {
		line := fmt.Sprintf("  credential access_key_id=%s access_key_secret=%s", c.AccessKeyID, c.AccessKeySecret)
		if c.SecurityToken != "" {
			line += " security_token=" + c.SecurityToken
		}
		if c.DenyRAM {
			line += " deny_ram=true"
		}
		fmt.Fprintln(w, line)
	}
	for _, r := range f.Roles {
		fmt.Fprintf(w, "  role %s\n", r.RoleARN)
	}
	for _, in := range f.Instances {
		fmt.Fprintf(w, "  instance %s region=%s name=%s\n", in.SmartAGID, in.Region, in.Name)
		for _, u := range in.Users {
			clients := make([]string, 0, len(u.Clients))
			for _, c := range u.Clients {
				clients = append(clients, c.ClientIP+"@"+c.OnlineTime)
			}
			state := ""
			if !u.IsEnabled() {
				state = " disabled"
			}
			fmt.Fprintf(w, "    user %s mail=%s%s online=[%s]\n", u.UserName, u.UserMail, state, strings.Join(clients, " "))
		}
	}
}
