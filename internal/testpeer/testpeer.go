// Package testpeer runs real protocol peers in-process for tests: an SMTP server that keeps what
// it receives, and an HTTP receiver that behaves like a Slack incoming webhook or a generic
// webhook endpoint.
package testpeer

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message an SMTPServer accepted.
type Mail struct {
	From string
	To   []string
	Data []byte
}

// SMTPServer is an in-process SMTP server on 127.0.0.1 without TLS or authentication.
type SMTPServer struct {
	Host string
	Port int

	mu    sync.Mutex
	mails []Mail
}

// NewSMTPServer starts a server that lives until the test ends.
func NewSMTPServer(t testing.TB) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	s := &SMTPServer{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(smtpBackend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return s
}

// Mails returns a copy of every accepted message.
func (s *SMTPServer) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

type smtpBackend struct{ s *SMTPServer }

func (b smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: b.s}, nil }

type smtpSession struct {
	s    *SMTPServer
	from string
	to   []string
}

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error { x.from = from; return nil }
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error   { x.to = append(x.to, to); return nil }
func (x *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	x.s.mails = append(x.s.mails, Mail{From: x.from, To: x.to, Data: b})
	x.s.mu.Unlock()
	return nil
}
func (x *smtpSession) Reset()        { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error { return nil }

// Request is one request a Receiver got.
type Request struct {
	Header http.Header
	Body   []byte
}

// Receiver is an HTTP endpoint that records every POST and answers with a status chosen by a
// function (200 "ok" by default), like a Slack incoming webhook.
type Receiver struct {
	*httptest.Server

	mu       sync.Mutex
	requests []Request
	respond  func(n int) (status int, header http.Header, body string)
	got      chan struct{}
}

// NewReceiver starts a receiver that lives until the test ends.
func NewReceiver(t testing.TB) *Receiver {
	r := &Receiver{got: make(chan struct{}, 1024)}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

// Respond sets how the n-th request (counting from 1) is answered.
func (r *Receiver) Respond(f func(n int) (status int, header http.Header, body string)) {
	r.mu.Lock()
	r.respond = f
	r.mu.Unlock()
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 10<<20))
	r.mu.Lock()
	r.requests = append(r.requests, Request{Header: req.Header.Clone(), Body: body})
	n, respond := len(r.requests), r.respond
	r.mu.Unlock()
	status, header, text := http.StatusOK, http.Header(nil), "ok"
	if respond != nil {
		status, header, text = respond(n)
	}
	for k, vs := range header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(status)
	io.WriteString(w, text) //nolint:errcheck // the client may be gone
	select {
	case r.got <- struct{}{}:
	default:
	}
}

// Requests returns a copy of every request so far.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.requests...)
}
