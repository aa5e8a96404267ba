package notify

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// httpChannels builds every HTTP channel against url.
var httpChannels = map[string]func(t *testing.T, url string) Channel{
	"slack": func(t *testing.T, url string) Channel {
		c, err := NewSlack(SlackConfig{WebhookURL: url, Timeout: 5 * time.Second, MinInterval: -1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	},
	"webhook": func(t *testing.T, url string) Channel {
		c, err := NewWebhook(WebhookConfig{URL: url, Secret: "SIGNINGSECRET-123", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return c
	},
}

func TestHTTPChannelsClassifyStatuses(t *testing.T) {
	tests := []struct {
		status     int
		retryAfter string
		ok         bool
		permanent  bool
		wantAfter  time.Duration
	}{
		{status: 200, ok: true},
		{status: 201, ok: true},
		{status: 204, ok: true},
		{status: 429, retryAfter: "3", wantAfter: 3 * time.Second},
		{status: 429, wantAfter: 30 * time.Second},
		{status: 408},
		{status: 500},
		{status: 502},
		{status: 503, retryAfter: "120", wantAfter: 2 * time.Minute},
		{status: 504},
		{status: 301, permanent: true},
		{status: 400, permanent: true},
		{status: 401, permanent: true},
		{status: 403, permanent: true},
		{status: 404, permanent: true},
		{status: 410, permanent: true},
		{status: 413, permanent: true},
	}
	for name, build := range httpChannels {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/%d%s", name, tt.status, tt.retryAfter), func(t *testing.T) {
				srv := newHookServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					if tt.status >= 300 && tt.status < 400 {
						w.Header().Set("Location", "/elsewhere")
					}
					w.WriteHeader(tt.status)
				})
				err := build(t, srv.URL+"/services/T1/B1/TOKEN").Send(t.Context(), happyHorse())
				if tt.ok {
					if err != nil {
						t.Fatalf("Send = %v, want nil", err)
					}
					return
				}
				var de *DeliveryError
				if !errors.As(err, &de) {
					t.Fatalf("Send = %v, want a *DeliveryError", err)
				}
				if de.Permanent != tt.permanent || de.RetryAfter != tt.wantAfter {
					t.Errorf("Send = %v: permanent %v, retry after %s; want %v, %s", err, de.Permanent, de.RetryAfter, tt.permanent, tt.wantAfter)
				}
				if got := len(srv.Requests()); got != 1 {
					t.Errorf("%d requests, want 1 (redirects are not followed)", got)
				}
			})
		}
	}
}

func TestClassifyHTTPRetryAfter(t *testing.T) {
	date := func(d time.Duration) http.Header {
		return http.Header{"Retry-After": {t0.Add(d).Format(http.TimeFormat)}}
	}
	tests := []struct {
		status int
		header http.Header
		want   httpVerdict
	}{
		{200, nil, httpVerdict{OK: true}},
		{429, http.Header{"Retry-After": {"0"}}, httpVerdict{RetryAfter: time.Second}},
		{429, http.Header{"Retry-After": {"-5"}}, httpVerdict{RetryAfter: 30 * time.Second}},
		{429, http.Header{"Retry-After": {"soon"}}, httpVerdict{RetryAfter: 30 * time.Second}},
		{429, date(2 * time.Minute), httpVerdict{RetryAfter: 2 * time.Minute}},
		{429, date(-time.Minute), httpVerdict{RetryAfter: time.Second}},
		{429, date(48 * time.Hour), httpVerdict{RetryAfter: time.Hour}},
		{503, nil, httpVerdict{}},
		{503, date(10 * time.Second), httpVerdict{RetryAfter: 10 * time.Second}},
		{404, http.Header{"Retry-After": {"10"}}, httpVerdict{Permanent: true}},
	}
	for _, tt := range tests {
		if got := classifyHTTP(tt.status, tt.header, t0); got != tt.want {
			t.Errorf("classifyHTTP(%d, %v) = %+v, want %+v", tt.status, tt.header, got, tt.want)
		}
	}
	// An HTTP date is rounded up, never down, against a clock between seconds.
	if got := classifyHTTP(429, date(5*time.Second), t0.Add(-300*time.Millisecond)); got.RetryAfter < 5*time.Second {
		t.Errorf("Retry-After date rounded down: %s", got.RetryAfter)
	}
}

// secrets that must never appear in an error or a log line.
var secrets = []string{"T0SECRETWS", "B0SECRETWS", "SLACKTOKEN0123456789", "QUERYTOKEN987", "SIGNINGSECRET-123", "hunter2-PASSWORD"}

func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, sec := range secrets {
		if strings.Contains(s, sec) {
			t.Errorf("%s reveals secret %q: %s", what, sec, s)
		}
	}
}

func TestNoChannelRevealsSecrets(t *testing.T) {
	slackPath := "/services/T0SECRETWS/B0SECRETWS/SLACKTOKEN0123456789"
	hookPath := "/hook/SLACKTOKEN0123456789?token=QUERYTOKEN987"

	// A server that echoes the secret-bearing URL back in its error body.
	echo := newHookServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "no_service for %s?%s sig=%s", r.URL.Path, r.URL.RawQuery, r.Header.Get("X-Catalyst-Signature"))
	})
	dead := fmt.Sprintf("http://127.0.0.1:%d", closedPort(t))

	var channels []Channel
	for _, base := range []string{echo.URL, dead} {
		channels = append(channels, httpChannels["slack"](t, base+slackPath), httpChannels["webhook"](t, base+hookPath))
	}
	be := &smtpBackend{user: "alerts", pass: "other", authErr: &smtp.SMTPError{
		Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad password hunter2-PASSWORD for alerts",
	}}
	channels = append(channels, newTestEmail(t, startSMTP(t, be, nil, false), func(c *EmailConfig) {
		c.Username, c.Password = "alerts", "hunter2-PASSWORD"
	}))

	for _, c := range channels {
		err := c.Send(t.Context(), happyHorse())
		if err == nil {
			t.Fatalf("%s: Send = nil, want an error", c.Name())
		}
		t.Logf("%s: %v", c.Name(), err)
		assertNoSecret(t, c.Name()+" error", err.Error())
		for e := error(err); e != nil; e = errors.Unwrap(e) {
			assertNoSecret(t, c.Name()+" wrapped error", e.Error())
		}
		if c.Name() == "slack" && !strings.Contains(err.Error(), "/services/***") {
			t.Errorf("slack error does not show the redacted URL: %v", err)
		}
	}

	// Constructors do not echo a bad URL either.
	if _, err := NewSlack(SlackConfig{WebhookURL: "hooks.slack.com/services/T0SECRETWS/B0SECRETWS/SLACKTOKEN0123456789"}); err == nil {
		t.Error("NewSlack accepted a URL without scheme")
	} else {
		assertNoSecret(t, "NewSlack error", err.Error())
	}
	if _, err := NewWebhook(WebhookConfig{URL: "ftp://x/SLACKTOKEN0123456789", Secret: "SIGNINGSECRET-123"}); err == nil {
		t.Error("NewWebhook accepted an ftp URL")
	} else {
		assertNoSecret(t, "NewWebhook error", err.Error())
	}

	// Nor do the dispatcher's logs of these failures.
	core, logs := observer.New(zap.DebugLevel)
	ob := newMemOutbox()
	named := map[string]Channel{}
	for i, c := range channels {
		name := fmt.Sprintf("%s-%d", c.Name(), i)
		named[name] = c
		ob.add(t, name, happyHorse(), t0)
	}
	var (
		mu     sync.Mutex
		failed []error
	)
	d := NewDispatcher(ob, named, DispatcherOptions{
		Logger: zap.New(core), Now: newFakeClock(t0).Now,
		OnFailed: func(_ OutboxItem, err error) {
			mu.Lock()
			defer mu.Unlock()
			failed = append(failed, err)
		},
	})
	if _, _, err := d.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if logs.Len() == 0 {
		t.Fatal("no logs")
	}
	for _, e := range logs.All() {
		line := e.Message
		for k, v := range e.ContextMap() {
			line += fmt.Sprintf(" %s=%v", k, v)
		}
		assertNoSecret(t, "log", line)
	}
	mu.Lock()
	if len(failed) == 0 {
		t.Error("OnFailed was not called")
	}
	for _, err := range failed {
		assertNoSecret(t, "OnFailed error", err.Error())
	}
	mu.Unlock()
	ob.mu.Lock()
	for _, r := range ob.rows {
		assertNoSecret(t, "outbox reason", r.reason+r.lastErr)
	}
	ob.mu.Unlock()
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://hooks.slack.com/services/T000/B000/XXXX", "https://hooks.slack.com/services/***"},
		{"https://example.com/abc123token", "https://example.com/***"},
		{"https://example.com/a1b2c3/hook", "https://example.com/***"},
		{"https://user:pw@example.com/hooks/x?k=v", "https://example.com/hooks/***?***"},
		{"https://example.com", "https://example.com"},
		{"::not a url", "<invalid url>"},
	}
	for _, tt := range tests {
		got, rs := redactURL(tt.in)
		if got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if s := newRedactor(rs...).scrub("failed: " + tt.in); strings.Contains(s, "XXXX") || strings.Contains(s, "abc123token") || strings.Contains(s, "pw@") {
			t.Errorf("scrub(%q) = %q", tt.in, s)
		}
	}
}
