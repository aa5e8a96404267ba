package notify

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpBackend is an in-process SMTP server's backend that captures messages and can be told to
// refuse recipients or data, or to require authentication.
type smtpBackend struct {
	mu   sync.Mutex
	msgs []capturedMail

	rcptErr error // returned for every RCPT TO
	dataErr error // returned after DATA was read
	user    string
	pass    string // when user is set, AUTH PLAIN is required with these credentials
	authErr error  // returned on wrong credentials; default smtp.ErrAuthFailed
	stall   chan struct{}
}

// capturedMail is one accepted message.
type capturedMail struct {
	From string
	To   []string
	Data []byte
	TLS  bool
}

func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{b: b, conn: c}, nil
}

func (b *smtpBackend) Messages() []capturedMail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.msgs)
}

type smtpSession struct {
	b      *smtpBackend
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *smtpSession) AuthMechanisms() []string {
	if s.b.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.b.user || password != s.b.pass {
			if s.b.authErr != nil {
				return s.b.authErr
			}
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.rcptErr != nil {
		return s.b.rcptErr
	}
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.b.stall != nil {
		<-s.b.stall
	}
	if s.b.dataErr != nil {
		return s.b.dataErr
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, capturedMail{From: s.from, To: slices.Clone(s.to), Data: data, TLS: isTLS})
	s.b.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset() {
	s.from = ""
	s.to = nil
}

func (s *smtpSession) Logout() error { return nil }

// startSMTP serves b on 127.0.0.1:0 and returns the port. With tlsConf, STARTTLS is offered, or
// with implicit the listener speaks TLS from the start.
func startSMTP(t *testing.T, b *smtpBackend, tlsConf *tls.Config, implicit bool) int {
	t.Helper()
	s := smtp.NewServer(b)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.MaxMessageBytes = 10 << 20
	var l net.Listener
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		l = tls.NewListener(l, tlsConf)
	} else {
		s.TLSConfig = tlsConf
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("smtp server: %v", err)
		}
	}()
	t.Cleanup(func() {
		_ = s.Close()
		<-done
	})
	return l.Addr().(*net.TCPAddr).Port
}

// testTLS returns a server TLS config with a certificate for 127.0.0.1 and a client config
// trusting it (borrowed from httptest, which generates one).
func testTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(ts.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	server = &tls.Config{Certificates: ts.TLS.Certificates, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return server, client
}

// closedPort returns a local port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}
