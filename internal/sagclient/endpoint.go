package sagclient

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Endpoint is where Smartag requests go: a scheme the SDK understands and a
// host with an optional port.
type Endpoint struct {
	// Scheme is "HTTPS" or "HTTP", the spelling the SDK expects.
	Scheme string
	// Host is "host" or "host:port".
	Host string
}

// defaultEndpoint is the public regional endpoint, always over HTTPS: the
// SDK's own default scheme is HTTP, which we deliberately do not inherit.
func defaultEndpoint(region string) Endpoint {
	return Endpoint{Scheme: "HTTPS", Host: "smartag." + region + ".aliyuncs.com"}
}

// ParseEndpoint accepts "https://host[:port]", "http://host[:port]" or a bare
// "host[:port]" (which means HTTPS). Paths other than "/", queries, fragments
// and user information are refused: the RPC protocol always posts to "/".
func ParseEndpoint(raw string) (Endpoint, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Endpoint{}, fmt.Errorf("endpoint must not be empty")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q is not a valid URL: %w", raw, err)
	}
	var scheme string
	switch strings.ToLower(u.Scheme) {
	case "https":
		scheme = "HTTPS"
	case "http":
		scheme = "HTTP"
	default:
		return Endpoint{}, fmt.Errorf("endpoint %q: scheme must be https or http, not %q", raw, u.Scheme)
	}
	switch {
	case u.Host == "":
		return Endpoint{}, fmt.Errorf("endpoint %q has no host", raw)
	case u.User != nil:
		return Endpoint{}, fmt.Errorf("endpoint %q must not contain user information", raw)
	case u.Path != "" && u.Path != "/":
		return Endpoint{}, fmt.Errorf("endpoint %q must not have a path: requests always go to /", raw)
	case u.RawQuery != "" || u.ForceQuery:
		return Endpoint{}, fmt.Errorf("endpoint %q must not have a query string", raw)
	case u.Fragment != "":
		return Endpoint{}, fmt.Errorf("endpoint %q must not have a fragment", raw)
	}
	if port := u.Port(); port != "" {
		if p, err := parsePort(port); err != nil || p == 0 {
			return Endpoint{}, fmt.Errorf("endpoint %q: invalid port %q", raw, port)
		}
	}
	if strings.Contains(u.Host, "%") {
		// url.Parse unescapes "%25" in an IPv6 zone; the SDK re-parses the
		// host unescaped and fails on every request.
		return Endpoint{}, fmt.Errorf("endpoint %q: IPv6 zone identifiers are not supported", raw)
	}
	if u.Hostname() == "" {
		return Endpoint{}, fmt.Errorf("endpoint %q has no host", raw)
	}
	return Endpoint{Scheme: scheme, Host: u.Host}, nil
}

func parsePort(s string) (int, error) {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("not a number")
		}
		n = n*10 + int(r-'0')
		if n > 65535 {
			return 0, fmt.Errorf("out of range")
		}
	}
	return n, nil
}

// URL is the endpoint as a URL without any query: safe to show and to log.
func (e Endpoint) URL() string {
	return strings.ToLower(e.Scheme) + "://" + e.Host
}

// Insecure reports whether answers travel unencrypted.
func (e Endpoint) Insecure() bool { return e.Scheme == "HTTP" }

// Loopback reports whether the host is localhost or a loopback address, where
// plain HTTP is harmless (the mock endpoint, a local proxy).
func (e Endpoint) Loopback() bool {
	host := e.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
