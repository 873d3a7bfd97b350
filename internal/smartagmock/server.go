package smartagmock

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// shutdownGrace is how long in-flight requests get before connections are cut.
const shutdownGrace = 5 * time.Second

// Server is an in-process mock for Go tests, like httptest.Server.
type Server struct {
	*Handler
	URL      string // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT"
	Endpoint string // "127.0.0.1:PORT", for client.Domain / WithStsEndpoint

	cancel    context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
}

// Start serves plain HTTP on 127.0.0.1 with an ephemeral port.
func Start(opts Options) (*Server, error) {
	return start(opts, nil)
}

// StartTLS serves HTTPS on 127.0.0.1 with an ephemeral port and cert.
func StartTLS(opts Options, cert tls.Certificate) (*Server, error) {
	return start(opts, &cert)
}

func start(opts Options, cert *tls.Certificate) (*Server, error) {
	h, err := NewHandler(opts)
	if err != nil {
		return nil, fmt.Errorf("start mock: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start mock: listen: %w", err)
	}
	scheme := "http"
	if cert != nil {
		scheme = "https"
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		Handler:  h,
		URL:      scheme + "://" + ln.Addr().String(),
		Endpoint: ln.Addr().String(),
		cancel:   cancel,
		done:     make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		_ = ListenAndServe(ctx, ln, h, cert) // only ends on Close
	}()
	return s, nil
}

// Close shuts the server down gracefully; calling it again is harmless.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		<-s.done
	})
}

// ListenAndServe serves h on ln (TLS when tlsCert is set) until ctx is done,
// then shuts down gracefully. Requests delayed by a latency fault see their
// context canceled at shutdown so they do not hold it up.
func ListenAndServe(ctx context.Context, ln net.Listener, h http.Handler, tlsCert *tls.Certificate) error {
	baseCtx, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	conns := &freshConns{m: map[net.Conn]struct{}{}}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
		ConnState:         conns.track,
	}
	if tlsCert != nil {
		ln = tls.NewListener(ln, &tls.Config{
			Certificates: []tls.Certificate{*tlsCert},
			MinVersion:   tls.VersionTLS12,
		})
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	cancelBase()
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	shutErr := make(chan error, 1)
	go func() { shutErr <- srv.Shutdown(shutCtx) }()
	// Shutdown waits up to 5s for connections that never sent a request
	// (clients dial spares); they carry no work, so close them right away.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for done := false; !done; {
		conns.closeAll()
		select {
		case err := <-shutErr:
			if err != nil {
				_ = srv.Close()
				if serveErr := <-errc; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
					err = errors.Join(err, serveErr)
				}
				return fmt.Errorf("shutdown %s: %w", ln.Addr(), err)
			}
			done = true
		case <-tick.C:
		}
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	}
	return nil
}

// freshConns tracks connections that have not read a byte of a request yet
// (http.StateNew), the only ones safe to close during a graceful shutdown.
type freshConns struct {
	mu sync.Mutex
	m  map[net.Conn]struct{}
}

func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if state == http.StateNew {
		f.m[c] = struct{}{}
	} else {
		delete(f.m, c)
	}
}

func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.m {
		_ = c.Close()
		delete(f.m, c)
	}
}
