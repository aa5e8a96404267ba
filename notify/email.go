package notify

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"net/mail"
	"slices"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes of an EmailConfig.
const (
	// TLSStartTLS upgrades a plain connection with STARTTLS and refuses servers that cannot (default; port 587).
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (SMTPS; port 465).
	TLSImplicit = "tls"
	// TLSOpportunistic uses STARTTLS when the server offers it and plain text otherwise (port 25).
	TLSOpportunistic = "opportunistic"
	// TLSNone never encrypts (port 25); only for local relays.
	TLSNone = "none"
)

// defaultSMTPTimeout bounds connecting and each SMTP command.
const defaultSMTPTimeout = 30 * time.Second

// EmailConfig configures an email channel.
type EmailConfig struct {
	// Name is the channel's name in outbox rows and logs; default "email".
	Name string
	// Host and Port locate the SMTP server; Port defaults to 587 (starttls), 465 (tls) or 25.
	Host string
	Port int
	// Username enables SMTP AUTH (PLAIN or LOGIN, or SCRAM when offered). Password is a secret:
	// it never appears in errors or logs. Plain-text mechanisms are refused on an unencrypted
	// connection unless the server is localhost.
	Username string
	Password string
	// From is the sender address, e.g. "Catalyst <alerts@example.com>".
	From string
	// To lists the recipients; at least one.
	To []string
	// TLS is one of "starttls" (default), "tls", "opportunistic", "none".
	TLS string
	// TLSConfig optionally customises TLS (for example RootCAs); ServerName defaults to Host.
	TLSConfig *tls.Config
	// Timeout bounds connecting and each SMTP command; default 30s.
	Timeout time.Duration
	// TextTemplate and HTMLTemplate override the built-in bodies (see ParseTemplates); empty keeps them.
	TextTemplate string
	HTMLTemplate string
	// Now is the clock for the Date header; nil uses time.Now.
	Now func() time.Time
}

// Email sends alerts as multipart (text and HTML) mail over SMTP.
type Email struct {
	name        string
	host        string
	from        string
	to          []string
	opts        []gomail.Option
	tlsConfig   *tls.Config
	implicitTLS bool
	tmpl        *emailTemplates
	red         *redactor
	now         func() time.Time
}

// NewEmail checks cfg (addresses, TLS mode, templates) and returns the channel. Its errors never
// contain the password.
func NewEmail(cfg EmailConfig) (*Email, error) {
	name := cfg.Name
	if name == "" {
		name = "email"
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("notify: email channel %q: "+format, append([]any{name}, args...)...)
	}
	if cfg.Host == "" {
		return nil, fail("SMTP host is missing")
	}
	if _, err := mail.ParseAddress(cfg.From); err != nil {
		return nil, fail("sender %q: %w", cfg.From, err)
	}
	if len(cfg.To) == 0 {
		return nil, fail("no recipients")
	}
	for _, to := range cfg.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return nil, fail("recipient %q: %w", to, err)
		}
	}
	tmpl, err := parseTemplates(cfg.TextTemplate, cfg.HTMLTemplate)
	if err != nil {
		return nil, fail("%w", err)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = defaultSMTPTimeout
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tlsConfig = cfg.TLSConfig.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = cfg.Host
	}

	e := &Email{
		name: name, host: cfg.Host, from: cfg.From, to: slices.Clone(cfg.To),
		tlsConfig: tlsConfig, tmpl: tmpl,
		red: newRedactor(redaction{cfg.Password, "***"}),
		now: cfg.Now,
	}
	if e.now == nil {
		e.now = time.Now
	}
	port := cfg.Port
	switch cfg.TLS {
	case TLSStartTLS, "":
		e.opts = append(e.opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithTLSConfig(tlsConfig))
		port = orDefault(port, gomail.DefaultPortTLS)
	case TLSImplicit:
		e.implicitTLS = true
		e.opts = append(e.opts, gomail.WithSSL(), gomail.WithTLSConfig(tlsConfig))
		port = orDefault(port, gomail.DefaultPortSSL)
	case TLSOpportunistic:
		e.opts = append(e.opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithTLSConfig(tlsConfig))
		port = orDefault(port, gomail.DefaultPort)
	case TLSNone:
		e.opts = append(e.opts, gomail.WithTLSPolicy(gomail.NoTLS))
		port = orDefault(port, gomail.DefaultPort)
	default:
		return nil, fail("unknown TLS mode %q (want starttls, tls, opportunistic or none)", cfg.TLS)
	}
	e.opts = append(e.opts, gomail.WithPort(port), gomail.WithTimeout(timeout))
	if cfg.Username != "" {
		e.opts = append(e.opts,
			gomail.WithUsername(cfg.Username),
			gomail.WithPassword(cfg.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
	}
	// Check the options once, so a bad port is reported now rather than on the first alert.
	if _, err := gomail.NewClient(cfg.Host, e.opts...); err != nil {
		return nil, fail("SMTP client: %w", e.red.scrubErr(err))
	}
	return e, nil
}

// orDefault returns v, or def when v is zero.
func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// Name returns the channel's name.
func (e *Email) Name() string { return e.name }

// MessageID is the Message-ID header of the email for an alert with the given idempotency key:
// "<first 32 hex digits of sha256(key)@catalyst>", so that a re-sent alert has the same ID and
// mail clients can recognise the duplicate.
func MessageID(key string) string {
	return "<" + messageIDValue(key) + ">"
}

func messageIDValue(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])[:32] + "@catalyst"
}

// Send mails a to every recipient in one SMTP transaction. SMTP 4xx replies and network errors
// are transient, 5xx replies, authentication and TLS set-up failures permanent. Cancelling ctx
// aborts the SMTP conversation.
func (e *Email) Send(ctx context.Context, a Alert) error {
	msg, err := e.message(a)
	if err != nil {
		return deliveryError(e.name, e.red, true, 0, err)
	}

	// go-mail honours ctx only while dialling; close the connection if ctx ends later.
	var (
		mu    sync.Mutex
		stops []func() bool
	)
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var conn net.Conn
		var err error
		if e.implicitTLS {
			conn, err = (&tls.Dialer{NetDialer: d, Config: e.tlsConfig.Clone()}).DialContext(dctx, network, addr)
		} else {
			conn, err = d.DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
		mu.Lock()
		stops = append(stops, stop)
		mu.Unlock()
		return conn, nil
	}
	client, err := gomail.NewClient(e.host, append(slices.Clip(e.opts), gomail.WithDialContextFunc(dial))...)
	if err != nil {
		return deliveryError(e.name, e.red, true, 0, fmt.Errorf("set up SMTP client: %w", err))
	}
	err = client.DialAndSendWithContext(ctx, msg)
	mu.Lock()
	for _, stop := range stops {
		stop()
	}
	mu.Unlock()
	if err == nil || msg.IsDelivered() {
		// A failure after the server accepted the message (QUIT, RSET) does not undo the delivery.
		return nil
	}
	if ctx.Err() != nil {
		return deliveryError(e.name, e.red, false, 0, fmt.Errorf("send mail via %s: %w (%v)", e.host, ctx.Err(), err))
	}
	return deliveryError(e.name, e.red, smtpPermanent(err), 0, fmt.Errorf("send mail via %s: %w", e.host, err))
}

// message builds the MIME message for a.
func (e *Email) message(a Alert) (*gomail.Msg, error) {
	d := newTemplateData(a, emailMaxHeadlines)
	text, html, err := e.tmpl.render(d)
	if err != nil {
		return nil, fmt.Errorf("render email: %w", err)
	}
	m := gomail.NewMsg()
	if err := m.From(e.from); err != nil {
		return nil, fmt.Errorf("set sender: %w", err)
	}
	if err := m.To(e.to...); err != nil {
		return nil, fmt.Errorf("set recipients: %w", err)
	}
	m.Subject(d.Subject)
	m.SetMessageIDWithValue(messageIDValue(a.Key))
	m.SetDateWithValue(e.now())
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetGenHeader("X-Catalyst-Key", d.Key)
	m.SetBodyString(gomail.TypeTextPlain, text)
	m.AddAlternativeString(gomail.TypeTextHTML, html)
	return m, nil
}
