package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// WebhookVersion is the version of the webhook body schema.
const WebhookVersion = 1

// WebhookBody is the JSON a webhook channel POSTs:
//
//	{
//	  "version": 1,
//	  "alert": {
//	    "idempotency_key": "…",              // same transition → same key; dedupe on it
//	    "kind": "transition",                 // or "operator" (then "text" carries the message)
//	    "catalyst": "happyhorse-alibaba",
//	    "name": "HappyHorse-1.0 is Alibaba's",
//	    "description": "…",                   // optional
//	    "from": "unconfirmed",
//	    "to": "confirmed",
//	    "state_description": "…",             // optional
//	    "at": "2026-11-14T09:00:00Z",         // RFC 3339
//	    "tickers": [{"symbol": "BABA", "primary": true, "impact": "bullish"}],  // impact: bullish|bearish|neutral
//	    "evidence": [{"id": "…", "title": "…", "source": "reuters.com", "link": "https://…",
//	                  "published": "…", "first_seen": "…", "trusted": true}],
//	    "independent_sources": 1,
//	    "rule": "…",                          // optional
//	    "text": "…"                           // operator alerts only
//	  }
//	}
//
// Headers:
//
//	Content-Type: application/json
//	Idempotency-Key: <alert.idempotency_key>   (a re-delivery carries the same key)
//	X-Catalyst-Timestamp: <unix seconds of this attempt>
//	X-Catalyst-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the shared secret>
//
// The signature is sent only when a secret is configured. Receivers should verify it over the raw
// body before parsing, and answer 2xx once they have stored the alert; 429 and 5xx are retried
// (429 no sooner than Retry-After), any other status is a permanent failure.
type WebhookBody struct {
	Version int   `json:"version"`
	Alert   Alert `json:"alert"`
}

// WebhookConfig configures a generic JSON webhook channel.
type WebhookConfig struct {
	// Name is the channel's name in outbox rows and logs; default "webhook".
	Name string
	// URL receives the POSTs. It may embed a token, so errors and logs show it redacted.
	URL string
	// Secret keys the X-Catalyst-Signature HMAC; empty sends no signature.
	Secret string
	// Timeout bounds one delivery; default 10s.
	Timeout time.Duration
	// Now is the clock for X-Catalyst-Timestamp and Retry-After dates; nil uses time.Now.
	Now func() time.Time
}

// Webhook POSTs alerts as signed JSON.
type Webhook struct {
	name   string
	secret []byte
	target *httpTarget
}

// NewWebhook checks cfg and returns the channel. Its errors never contain the URL or the secret.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	name := cfg.Name
	if name == "" {
		name = "webhook"
	}
	display, rs := redactURL(cfg.URL)
	if err := checkHTTPURL(cfg.URL); err != nil {
		return nil, fmt.Errorf("notify: webhook channel %q: URL %s: %w", name, display, err)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	rs = append(rs, redaction{cfg.Secret, "***"})
	return &Webhook{
		name:   name,
		secret: []byte(cfg.Secret),
		target: &httpTarget{
			channel: name,
			url:     cfg.URL,
			display: "webhook " + display,
			client:  newHTTPClient(cfg.Timeout),
			red:     newRedactor(rs...),
			now:     now,
		},
	}, nil
}

// Name returns the channel's name.
func (w *Webhook) Name() string { return w.name }

// Send POSTs a as a WebhookBody.
func (w *Webhook) Send(ctx context.Context, a Alert) error {
	body, err := json.Marshal(WebhookBody{Version: WebhookVersion, Alert: a})
	if err != nil {
		return deliveryError(w.name, w.target.red, true, 0, fmt.Errorf("encode webhook body: %w", err))
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Idempotency-Key", a.Key)
	h.Set("X-Catalyst-Timestamp", strconv.FormatInt(w.target.now().Unix(), 10))
	if len(w.secret) > 0 {
		h.Set("X-Catalyst-Signature", WebhookSignature(w.secret, body))
	}
	return w.target.post(ctx, body, h)
}

// WebhookSignature returns the X-Catalyst-Signature value for body: "sha256=" and the hex
// HMAC-SHA256 of the exact body bytes keyed with secret. Receivers compare it with hmac.Equal.
func WebhookSignature(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
