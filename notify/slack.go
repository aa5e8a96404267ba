package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	texttemplate "text/template"
	"time"

	"github.com/catalyst-monitor/catalyst/internal/pace"
)

// SlackConfig configures a Slack incoming-webhook channel.
type SlackConfig struct {
	// Name is the channel's name in outbox rows and logs; default "slack".
	Name string
	// WebhookURL is the incoming webhook (https://hooks.slack.com/services/...). It is a secret:
	// errors and logs show it as "https://hooks.slack.com/services/***".
	WebhookURL string
	// Timeout bounds one delivery, connection to response; default 10s.
	Timeout time.Duration
	// MinInterval is the least time between two messages to this webhook; default 1s (Slack's
	// limit). Negative disables pacing.
	MinInterval time.Duration
	// TextTemplate, when set, is a text/template (see ParseSlackTemplate) whose output replaces
	// the summary section and the plain-text fallback of transition alerts.
	TextTemplate string
	// Now and Sleep are the pacer's clock; nil uses the real one. Tests inject a fake clock.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Slack posts alerts to a Slack incoming webhook as Block Kit messages.
type Slack struct {
	name   string
	target *httpTarget
	pacer  *pace.Spacer
	tmpl   *texttemplate.Template
}

// NewSlack checks cfg and returns the channel. Its errors never contain the webhook URL.
func NewSlack(cfg SlackConfig) (*Slack, error) {
	name := cfg.Name
	if name == "" {
		name = "slack"
	}
	display, rs := redactURL(cfg.WebhookURL)
	if err := checkHTTPURL(cfg.WebhookURL); err != nil {
		return nil, fmt.Errorf("notify: slack channel %q: webhook URL %s: %w", name, display, err)
	}
	tmpl, err := parseSlackTemplate(cfg.TextTemplate)
	if err != nil {
		return nil, err
	}
	interval := cfg.MinInterval
	if interval == 0 {
		interval = time.Second
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Slack{
		name: name,
		target: &httpTarget{
			channel: name,
			url:     cfg.WebhookURL,
			display: "slack webhook " + display,
			client:  newHTTPClient(cfg.Timeout),
			red:     newRedactor(rs...),
			now:     now,
		},
		pacer: pace.New(interval, now, cfg.Sleep),
		tmpl:  tmpl,
	}, nil
}

// Name returns the channel's name.
func (s *Slack) Name() string { return s.name }

// Send posts a, waiting first for the webhook's rate-limit slot. A 429 is retryable no sooner
// than its Retry-After, 5xx and network errors are transient, other 4xx are permanent.
func (s *Slack) Send(ctx context.Context, a Alert) error {
	msg := slackMessage(a)
	if s.tmpl != nil && !isMessage(a) {
		text, err := renderSlackText(s.tmpl, a)
		if err != nil {
			return deliveryError(s.name, s.target.red, true, 0, err)
		}
		msg = withSummary(msg, text)
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return deliveryError(s.name, s.target.red, true, 0, fmt.Errorf("encode slack message: %w", err))
	}
	if err := s.pacer.Wait(ctx, ""); err != nil {
		err = fmt.Errorf("wait for the rate limit: %w", err)
		return deliveryError(s.name, s.target.red, false, 0, err)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return s.target.post(ctx, body, h)
}

// checkHTTPURL reports whether raw is an absolute http(s) URL. Its error does not quote raw.
func checkHTTPURL(raw string) error {
	if raw == "" {
		return errors.New("missing")
	}
	if safeLink(raw) == "" {
		return errors.New("not an absolute http or https URL")
	}
	return nil
}
