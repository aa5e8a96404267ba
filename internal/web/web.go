// Package web serves catalyst's operator endpoints over HTTP: a status page for people (phones
// first), JSON for scripts, liveness and readiness probes, and Prometheus metrics.
//
//	GET /              status page: each catalyst's state, tickers and timeline with evidence; feed health
//	GET /api/catalysts JSON array of CatalystView
//	GET /api/feeds     JSON array of FeedView
//	GET /healthz       200 "ok" while the process is alive (never needs the token)
//	GET /readyz        200 when Source.Ready returns nil, else 503 with the reason
//	GET /metrics       Prometheus exposition from Options.Gatherer
//
// Every endpoint answers GET and HEAD; other methods get 405, unknown paths 404. When a token
// is set, every endpoint but /healthz requires it, as "Authorization: Bearer TOKEN" (scripts,
// Prometheus) or as the password of HTTP Basic authentication with any user name (a browser
// prompts for it). Serve the token only over TLS or on a trusted network.
package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
)

// Timeouts of the HTTP server and of the calls to the Source.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	sourceTimeout     = 10 * time.Second
	shutdownTimeout   = 5 * time.Second
)

// Options configure a Server.
type Options struct {
	// Source provides the catalysts, the feeds and readiness. Nil makes /readyz answer 503 and
	// the page and the API answer 503.
	Source Source
	// Gatherer is served on /metrics; nil makes /metrics answer 404.
	Gatherer prometheus.Gatherer
	// Token, when not empty, is required on every endpoint except /healthz.
	Token string
	// Logger receives request and error logs; nil means none.
	Logger *zap.Logger
	// Now is the clock for the page's relative times; nil means time.Now.
	Now func() time.Time
}

// Server serves the endpoints. Build it with New; it is safe for concurrent use.
type Server struct {
	src      Source
	gatherer prometheus.Gatherer
	token    []byte // sha256 of the token; nil when no token is required
	log      *zap.Logger
	now      func() time.Time
	page     *template.Template
	handler  http.Handler
}

// New builds a Server from opts.
func New(opts Options) *Server {
	s := &Server{
		src:      opts.Source,
		gatherer: opts.Gatherer,
		log:      opts.Logger,
		now:      opts.Now,
	}
	if s.log == nil {
		s.log = zap.NewNop()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if opts.Token != "" {
		sum := sha256.Sum256([]byte(opts.Token))
		s.token = sum[:]
	}
	s.page = parsePage(s.now)

	mux := http.NewServeMux()
	// A "GET" pattern also matches HEAD; the mux answers 405 with an Allow header for other
	// methods on a known path, and 404 for unknown paths.
	mux.HandleFunc("GET /{$}", s.serveStatusPage)
	mux.HandleFunc("GET /healthz", s.serveHealthz)
	mux.HandleFunc("GET /readyz", s.serveReadyz)
	mux.HandleFunc("GET /api/catalysts", s.serveCatalysts)
	mux.HandleFunc("GET /api/feeds", s.serveFeeds)
	mux.HandleFunc("GET /metrics", s.serveMetrics())
	s.handler = s.logRequests(s.secure(s.authorize(mux)))
	return s
}

// Handler returns the HTTP handler serving every endpoint.
func (s *Server) Handler() http.Handler { return s.handler }

// ListenAndServe listens on addr and serves until ctx ends, then shuts down gracefully (requests
// in flight get a few seconds to finish) and returns nil. It returns the listen error at once
// when addr cannot be used (e.g. it is taken).
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web server: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends, then shuts down gracefully and returns nil; it closes ln.
// It returns early with the error if serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          zap.NewStdLog(s.log.Named("http")),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	s.log.Info("web server listening", zap.String("addr", ln.Addr().String()), zap.Bool("token", s.token != nil))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		<-errc
		return fmt.Errorf("shut down web server: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	s.log.Info("web server stopped")
	return nil
}

// authorize requires the token on every path but /healthz.
func (s *Server) authorize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.token == nil || r.URL.Path == "/healthz" || s.validToken(r) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("WWW-Authenticate", `Bearer realm="catalyst"`)
		w.Header().Add("WWW-Authenticate", `Basic realm="catalyst", charset="UTF-8"`)
		http.Error(w, "unauthorized: this endpoint needs the token", http.StatusUnauthorized)
	})
}

// validToken reports whether r carries the token as a bearer token or as a Basic password. The
// comparison takes the same time whatever the token's length and content.
func (s *Server) validToken(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	scheme, cred, ok := strings.Cut(auth, " ")
	if !ok {
		return false
	}
	var given string
	switch strings.ToLower(scheme) {
	case "bearer":
		given = strings.TrimSpace(cred)
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
		if err != nil {
			return false
		}
		_, pass, ok := strings.Cut(string(raw), ":")
		if !ok {
			return false
		}
		given = pass
	default:
		return false
	}
	sum := sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(sum[:], s.token) == 1
}

// secure sets headers every response carries: no caching, no sniffing, no framing, and a
// content security policy that allows no script at all.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "+
			"base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs each request at debug level.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if ce := s.log.Check(zap.DebugLevel, "http request"); ce != nil {
			ce.Write(zap.String("method", r.Method), zap.String("path", r.URL.Path),
				zap.Int("status", rec.status), zap.Duration("duration", time.Since(start)))
		}
	})
}

func (s *Server) serveHealthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *Server) serveReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.src == nil {
		http.Error(w, "not ready: no source configured", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), sourceTimeout)
	defer cancel()
	if err := s.src.Ready(ctx); err != nil {
		s.log.Warn("not ready", zap.Error(err))
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

func (s *Server) serveMetrics() http.HandlerFunc {
	if s.gatherer == nil {
		return http.NotFound
	}
	h := promhttp.HandlerFor(s.gatherer, promhttp.HandlerOpts{
		ErrorLog:      zap.NewStdLog(s.log.Named("metrics")),
		ErrorHandling: promhttp.ContinueOnError, // a failing collector must not hide the others
	})
	return h.ServeHTTP
}
