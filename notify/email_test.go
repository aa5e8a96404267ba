package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// newTestEmail returns an email channel for a local server without TLS.
func newTestEmail(t *testing.T, port int, mod func(*EmailConfig)) *Email {
	t.Helper()
	cfg := EmailConfig{
		Host:    "127.0.0.1",
		Port:    port,
		From:    "Catalyst <alerts@example.com>",
		To:      []string{"desk@example.com", "Risk Team <risk@example.com>"},
		TLS:     TLSNone,
		Timeout: 10 * time.Second,
		Now:     func() time.Time { return t0 },
	}
	if mod != nil {
		mod(&cfg)
	}
	e, err := NewEmail(cfg)
	if err != nil {
		t.Fatalf("NewEmail: %v", err)
	}
	return e
}

// parsedMail is a received message, decoded.
type parsedMail struct {
	Header mail.Header
	Parts  map[string]string // content type → decoded body
}

func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, data)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	if mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q, want multipart/alternative", mt)
	}
	out := parsedMail{Header: m.Header, Parts: map[string]string{}}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		ct, _, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type: %v", err)
		}
		body, err := io.ReadAll(p) // quoted-printable is decoded by mime/multipart
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		out.Parts[ct] = string(body)
	}
	return out
}

func decodeHeader(t *testing.T, h mail.Header, name string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(h.Get(name))
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return s
}

func TestEmailDeliversMultipartAlert(t *testing.T) {
	be := &smtpBackend{}
	port := startSMTP(t, be, nil, false)
	e := newTestEmail(t, port, nil)
	a := happyHorse()

	for range 2 {
		if err := e.Send(t.Context(), a); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	msgs := be.Messages()
	if len(msgs) != 2 {
		t.Fatalf("server got %d messages, want 2", len(msgs))
	}
	if msgs[0].From != "alerts@example.com" {
		t.Errorf("envelope from = %q", msgs[0].From)
	}
	if got := strings.Join(msgs[0].To, ","); got != "desk@example.com,risk@example.com" {
		t.Errorf("envelope to = %q", got)
	}

	sum := sha256.Sum256([]byte(a.Key))
	wantID := "<" + hex.EncodeToString(sum[:])[:32] + "@catalyst>"
	var ids []string
	for _, raw := range msgs {
		m := parseMail(t, raw.Data)
		ids = append(ids, m.Header.Get("Message-Id"))

		from, err := mail.ParseAddress(m.Header.Get("From"))
		if err != nil || from.Address != "alerts@example.com" || from.Name != "Catalyst" {
			t.Errorf("From = %q (%v)", m.Header.Get("From"), err)
		}
		to, err := m.Header.AddressList("To")
		if err != nil || len(to) != 2 || to[0].Address != "desk@example.com" || to[1].Address != "risk@example.com" {
			t.Errorf("To = %q (%v)", m.Header.Get("To"), err)
		}
		wantSubject := "[BABA ▲ bullish, 9988.HK ▲ bullish] HappyHorse-1.0 is Alibaba's: unconfirmed → confirmed"
		if got := decodeHeader(t, m.Header, "Subject"); got != wantSubject {
			t.Errorf("Subject = %q\nwant      %q", got, wantSubject)
		}
		if got := m.Header.Get("X-Catalyst-Key"); got != a.Key {
			t.Errorf("X-Catalyst-Key = %q", got)
		}

		text, html := m.Parts["text/plain"], m.Parts["text/html"]
		if text == "" || html == "" {
			t.Fatalf("want text and HTML parts, got %v", m.Parts)
		}
		for _, want := range []string{
			"▲ HappyHorse-1.0 is Alibaba's: unconfirmed → confirmed",
			"Tickers:     BABA ▲ bullish, 9988.HK ▲ bullish",
			"Transition:  unconfirmed → confirmed",
			"When:        2026-11-14 09:00 UTC",
			"Sources:     1 independent source",
			"  - Alibaba confirms it is behind HappyHorse-1.0 <video> model & more — reuters.com",
			"    https://reuters.com/a0dcde8045?x=1&y=2",
			"published 2026-11-14 08:55 UTC, first seen 2026-11-14 08:56 UTC",
			"Key: " + a.Key,
		} {
			if !strings.Contains(text, want) {
				t.Errorf("text part lacks %q:\n%s", want, text)
			}
		}
		for _, want := range []string{
			`<a href="https://reuters.com/a0dcde8045?x=1&amp;y=2">Alibaba confirms it is behind HappyHorse-1.0 &lt;video&gt; model &amp; more</a>`,
			"reuters.com",
			"<b>BABA</b>",
		} {
			if !strings.Contains(html, want) {
				t.Errorf("HTML part lacks %q:\n%s", want, html)
			}
		}
		if strings.Contains(html, "<video>") {
			t.Errorf("HTML part has an unescaped title:\n%s", html)
		}
	}
	if ids[0] != wantID || ids[1] != wantID {
		t.Errorf("Message-IDs = %q, want both %q", ids, wantID)
	}
	if MessageID(a.Key) != wantID {
		t.Errorf("MessageID = %q, want %q", MessageID(a.Key), wantID)
	}
}

func TestEmailOperatorAlertRendersText(t *testing.T) {
	be := &smtpBackend{}
	e := newTestEmail(t, startSMTP(t, be, nil, false), nil)
	if err := e.Send(t.Context(), operatorAlert()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	m := parseMail(t, be.Messages()[0].Data)
	if got := decodeHeader(t, m.Header, "Subject"); got != "[catalyst operator] Feed reuters is failing" {
		t.Errorf("Subject = %q", got)
	}
	for ct, body := range m.Parts {
		if !strings.Contains(body, "Feed reuters has failed 5 times in a row.") || !strings.Contains(body, "Last error: HTTP 503.") {
			t.Errorf("%s part lacks the operator text:\n%s", ct, body)
		}
	}
}

func TestEmailSMTPRepliesAreClassified(t *testing.T) {
	tests := []struct {
		name      string
		be        *smtpBackend
		permanent bool
	}{
		{"451 on RCPT", &smtpBackend{rcptErr: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}}, false},
		{"452 after DATA", &smtpBackend{dataErr: &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 3, 1}, Message: "mailbox full"}}, false},
		{"550 on RCPT", &smtpBackend{rcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}}, true},
		{"554 after DATA", &smtpBackend{dataErr: &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "rejected"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEmail(t, startSMTP(t, tt.be, nil, false), nil)
			err := e.Send(t.Context(), happyHorse())
			var de *DeliveryError
			if !errors.As(err, &de) {
				t.Fatalf("Send = %v, want a *DeliveryError", err)
			}
			if de.Channel != "email" || IsPermanent(err) != tt.permanent {
				t.Errorf("Send = %v; permanent = %v, want %v", err, IsPermanent(err), tt.permanent)
			}
		})
	}
}

func TestEmailStartTLSWithAuth(t *testing.T) {
	serverTLS, clientTLS := testTLS(t)
	be := &smtpBackend{user: "alerts", pass: "correct horse"}
	port := startSMTP(t, be, serverTLS, false)
	e := newTestEmail(t, port, func(c *EmailConfig) {
		c.TLS = TLSStartTLS
		c.TLSConfig = clientTLS
		c.Username, c.Password = "alerts", "correct horse"
	})
	if err := e.Send(t.Context(), happyHorse()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if msgs := be.Messages(); len(msgs) != 1 || !msgs[0].TLS {
		t.Fatalf("want one message over TLS, got %+v", msgs)
	}
}

func TestEmailImplicitTLS(t *testing.T) {
	serverTLS, clientTLS := testTLS(t)
	be := &smtpBackend{}
	port := startSMTP(t, be, serverTLS, true)
	e := newTestEmail(t, port, func(c *EmailConfig) {
		c.TLS = TLSImplicit
		c.TLSConfig = clientTLS
	})
	if err := e.Send(t.Context(), happyHorse()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if msgs := be.Messages(); len(msgs) != 1 || !msgs[0].TLS {
		t.Fatalf("want one message over TLS, got %+v", msgs)
	}
}

func TestEmailSetupFailures(t *testing.T) {
	t.Run("mandatory STARTTLS not offered is permanent", func(t *testing.T) {
		e := newTestEmail(t, startSMTP(t, &smtpBackend{}, nil, false), func(c *EmailConfig) { c.TLS = TLSStartTLS })
		if err := e.Send(t.Context(), happyHorse()); !IsPermanent(err) {
			t.Errorf("Send = %v, want permanent", err)
		}
	})
	t.Run("untrusted certificate is permanent", func(t *testing.T) {
		serverTLS, _ := testTLS(t)
		e := newTestEmail(t, startSMTP(t, &smtpBackend{}, serverTLS, false), func(c *EmailConfig) { c.TLS = TLSStartTLS })
		if err := e.Send(t.Context(), happyHorse()); !IsPermanent(err) {
			t.Errorf("Send = %v, want permanent", err)
		}
	})
	t.Run("wrong password is permanent", func(t *testing.T) {
		be := &smtpBackend{user: "alerts", pass: "right"}
		e := newTestEmail(t, startSMTP(t, be, nil, false), func(c *EmailConfig) { c.Username, c.Password = "alerts", "wrong" })
		if err := e.Send(t.Context(), happyHorse()); !IsPermanent(err) {
			t.Errorf("Send = %v, want permanent", err)
		}
	})
	t.Run("connection refused is transient", func(t *testing.T) {
		e := newTestEmail(t, closedPort(t), nil)
		err := e.Send(t.Context(), happyHorse())
		if err == nil || IsPermanent(err) {
			t.Errorf("Send = %v, want transient", err)
		}
	})
}

func TestEmailSendHonoursContext(t *testing.T) {
	stall := make(chan struct{})
	be := &smtpBackend{stall: stall}
	port := startSMTP(t, be, nil, false)
	t.Cleanup(func() { close(stall) }) // runs before the server is closed
	e := newTestEmail(t, port, nil)

	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := e.Send(ctx, happyHorse())
	if err == nil || IsPermanent(err) {
		t.Fatalf("Send = %v, want a transient error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %s after its context ended (SMTP timeout is 10s)", d)
	}
}

func TestEmailConfigAndTemplates(t *testing.T) {
	if err := ParseTemplates("", ""); err != nil {
		t.Errorf("built-in templates: %v", err)
	}
	for _, bad := range [][2]string{{"{{", ""}, {"", "<p>{{.Nope}}</p>"}, {"{{.Alert.Nope}}", ""}} {
		if err := ParseTemplates(bad[0], bad[1]); err == nil {
			t.Errorf("ParseTemplates(%q, %q) = nil, want an error", bad[0], bad[1])
		}
	}
	for name, mod := range map[string]func(*EmailConfig){
		"no host":      func(c *EmailConfig) { c.Host = "" },
		"bad from":     func(c *EmailConfig) { c.From = "not an address" },
		"no rcpt":      func(c *EmailConfig) { c.To = nil },
		"bad tls mode": func(c *EmailConfig) { c.TLS = "ssl3" },
		"bad template": func(c *EmailConfig) { c.HTMLTemplate = "{{end}}" },
	} {
		cfg := EmailConfig{Host: "127.0.0.1", From: "a@example.com", To: []string{"b@example.com"}}
		mod(&cfg)
		if _, err := NewEmail(cfg); err == nil {
			t.Errorf("%s: NewEmail = nil error", name)
		}
	}

	// A custom text template is used as given.
	be := &smtpBackend{}
	e := newTestEmail(t, startSMTP(t, be, nil, false), func(c *EmailConfig) {
		c.TextTemplate = "{{.Arrow}} {{.Title}} [{{.Key}}]"
	})
	a := happyHorse()
	if err := e.Send(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	m := parseMail(t, be.Messages()[0].Data)
	if got, want := m.Parts["text/plain"], "▲ HappyHorse-1.0 is Alibaba's ["+a.Key+"]"; got != want {
		t.Errorf("text part = %q, want %q", got, want)
	}
}
