package notify

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// newTestSlack returns a Slack channel posting to url on a fake clock.
func newTestSlack(t *testing.T, url string, clock *fakeClock) *Slack {
	t.Helper()
	s, err := NewSlack(SlackConfig{WebhookURL: url, Timeout: 5 * time.Second, Now: clock.Now, Sleep: clock.Sleep})
	if err != nil {
		t.Fatalf("NewSlack: %v", err)
	}
	return s
}

func decodeSlack(t *testing.T, body []byte) slackPayload {
	t.Helper()
	var p slackPayload
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("Slack body is not JSON: %v\n%s", err, body)
	}
	return p
}

// checkSlackLimits fails t for any Block Kit limit p breaks.
func checkSlackLimits(t *testing.T, p slackPayload) {
	t.Helper()
	if n := len(p.Blocks); n == 0 || n > 50 {
		t.Errorf("%d blocks, want 1..50", n)
	}
	runes := utf8.RuneCountInString
	for i, b := range p.Blocks {
		switch b.Type {
		case "header":
			if b.Text == nil || b.Text.Type != "plain_text" || runes(b.Text.Text) > 150 || b.Text.Text == "" {
				t.Errorf("block %d: bad header %+v", i, b.Text)
			}
		case "section":
			if b.Text != nil && (runes(b.Text.Text) > 3000 || b.Text.Text == "") {
				t.Errorf("block %d: section text has %d characters", i, runes(b.Text.Text))
			}
			if len(b.Fields) > 10 {
				t.Errorf("block %d: %d fields", i, len(b.Fields))
			}
			for _, f := range b.Fields {
				if runes(f.Text) > 2000 || f.Text == "" {
					t.Errorf("block %d: field has %d characters", i, runes(f.Text))
				}
			}
			if b.Text == nil && len(b.Fields) == 0 {
				t.Errorf("block %d: empty section", i)
			}
		case "context":
			if len(b.Elements) == 0 || len(b.Elements) > 10 {
				t.Errorf("block %d: %d context elements", i, len(b.Elements))
			}
		default:
			t.Errorf("block %d: unexpected type %q", i, b.Type)
		}
	}
	if p.Text == "" || runes(p.Text) > 3000 {
		t.Errorf("fallback text has %d characters", runes(p.Text))
	}
}

// allText joins every text of p.
func allText(p slackPayload) string {
	var b strings.Builder
	b.WriteString(p.Text + "\n")
	for _, bl := range p.Blocks {
		if bl.Text != nil {
			b.WriteString(bl.Text.Text + "\n")
		}
		for _, f := range append(bl.Fields, bl.Elements...) {
			b.WriteString(f.Text + "\n")
		}
	}
	return b.String()
}

func TestSlackPostsBlockKitMessage(t *testing.T) {
	srv := newHookServer(t, nil)
	s := newTestSlack(t, srv.URL+"/services/T000/B000/XXXX", newFakeClock(t0))
	a := happyHorse()
	if err := s.Send(t.Context(), a); err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests", len(reqs))
	}
	if ct := reqs[0].Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	p := decodeSlack(t, reqs[0].Body)
	checkSlackLimits(t, p)

	if got, want := p.Blocks[0].Text.Text, "▲ HappyHorse-1.0 is Alibaba's: unconfirmed → confirmed"; got != want {
		t.Errorf("header = %q, want %q", got, want)
	}
	var fields []string
	for _, b := range p.Blocks {
		for _, f := range b.Fields {
			fields = append(fields, f.Text)
		}
	}
	wantFields := []string{
		"*Tickers*\n▲ *BABA* bullish (primary)\n▲ *9988.HK* bullish",
		"*Transition*\nunconfirmed → confirmed",
		"*When*\n2026-11-14 09:00 UTC",
		"*Independent sources*\n1",
	}
	for i, want := range wantFields {
		if i >= len(fields) || fields[i] != want {
			t.Errorf("field %d = %q, want %q", i, fields[i:min(i+1, len(fields))], want)
		}
	}
	text := allText(p)
	for _, want := range []string{
		"• <https://reuters.com/a0dcde8045?x=1&amp;y=2|Alibaba confirms it is behind HappyHorse-1.0 &lt;video&gt; model &amp; more> — reuters.com",
		"first published 2026-11-14 08:55 UTC · first seen 2026-11-14 08:56 UTC · key `" + a.Key + "`",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("message lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "<video>") {
		t.Errorf("unescaped title in message:\n%s", text)
	}
	if want := "▲ HappyHorse-1.0 is Alibaba's: unconfirmed → confirmed (BABA ▲ bullish, 9988.HK ▲ bullish)"; p.Text != want {
		t.Errorf("fallback text = %q, want %q", p.Text, want)
	}
}

func TestSlackOperatorMessage(t *testing.T) {
	p := slackMessage(operatorAlert())
	checkSlackLimits(t, p)
	text := allText(p)
	if !strings.Contains(text, "Feed reuters has failed 5 times in a row.\nLast error: HTTP 503.") {
		t.Errorf("operator text missing:\n%s", text)
	}
	if p.Blocks[0].Text.Text != "⚠ Feed reuters is failing" {
		t.Errorf("header = %q", p.Blocks[0].Text.Text)
	}

	long := operatorAlert()
	long.Text = strings.Repeat("x & y < z\n", 30000)
	checkSlackLimits(t, slackMessage(long))
}

func TestSlackMessageRespectsLimits(t *testing.T) {
	a := happyHorse()
	a.Name = strings.Repeat("Very long catalyst name & <more> ", 20)
	a.Description = strings.Repeat("d&", 4000)
	a.Evidence = nil
	for i := range 200 {
		title := fmt.Sprintf("%03d ", i) + strings.Repeat("<&>", 99)[:296]
		a.Evidence = append(a.Evidence, Evidence{
			ID: fmt.Sprint(i), Title: title, Source: "example.com",
			Link: fmt.Sprintf("https://example.com/%d?a=1&b=2", i), Published: t0,
		})
	}
	a.Tickers = nil
	for i := range 40 {
		a.Tickers = append(a.Tickers, Ticker{Symbol: fmt.Sprintf("TICK%02d&CO", i), Impact: Bearish})
	}

	srv := newHookServer(t, nil)
	s := newTestSlack(t, srv.URL+"/services/T/B/X", newFakeClock(t0))
	if err := s.Send(t.Context(), a); err != nil {
		t.Fatalf("Send: %v", err)
	}
	p := decodeSlack(t, srv.Requests()[0].Body)
	checkSlackLimits(t, p)
	text := allText(p)
	shown := strings.Count(text, "• <https://example.com/")
	if shown == 0 {
		t.Fatalf("no headline shown:\n%s", text)
	}
	if want := fmt.Sprintf("_and %d more_", 200-shown); !strings.Contains(text, want) {
		t.Errorf("message lacks %q", want)
	}
	if !strings.HasPrefix(p.Blocks[0].Text.Text, "▼ Very long catalyst name &amp; &lt;more&gt;") {
		t.Errorf("header = %q", p.Blocks[0].Text.Text)
	}
}

func TestSlackFitNeverCutsAnEntity(t *testing.T) {
	for n := 2; n < 40; n++ {
		got := slackFit(strings.Repeat("a&", 50), n)
		if utf8.RuneCountInString(got) > n {
			t.Fatalf("slackFit(_, %d) = %q is too long", n, got)
		}
		body := strings.TrimSuffix(got, "…")
		if strings.Count(body, "&") != strings.Count(body, "&amp;") {
			t.Fatalf("slackFit(_, %d) = %q cuts an entity", n, got)
		}
	}
}

func TestSlackStatusHandling(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		permanent  bool
		retryAfter time.Duration
	}{
		{"429 seconds", 429, http.Header{"Retry-After": {"17"}}, "rate_limited", false, 17 * time.Second},
		{"429 HTTP date", 429, http.Header{"Retry-After": {t0.Add(90 * time.Second).Format(http.TimeFormat)}}, "rate_limited", false, 90 * time.Second},
		{"429 no header", 429, nil, "rate_limited", false, 30 * time.Second},
		{"429 capped", 429, http.Header{"Retry-After": {"86400"}}, "rate_limited", false, time.Hour},
		{"500", 500, nil, "rollup_error", false, 0},
		{"503 with Retry-After", 503, http.Header{"Retry-After": {"5"}}, "", false, 5 * time.Second},
		{"400 invalid_payload", 400, nil, "invalid_payload", true, 0},
		{"403 invalid_token", 403, nil, "invalid_token", true, 0},
		{"404 no_service", 404, nil, "no_service", true, 0},
		{"410 channel_is_archived", 410, nil, "channel_is_archived", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newHookServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			err := newTestSlack(t, srv.URL+"/services/T/B/X", newFakeClock(t0)).Send(t.Context(), happyHorse())
			if err == nil {
				t.Fatal("Send = nil")
			}
			if IsPermanent(err) != tt.permanent || RetryAfterOf(err) != tt.retryAfter {
				t.Errorf("Send = %v: permanent %v, retry after %s; want %v, %s",
					err, IsPermanent(err), RetryAfterOf(err), tt.permanent, tt.retryAfter)
			}
			if tt.body != "" && !strings.Contains(err.Error(), tt.body) {
				t.Errorf("error %q does not quote Slack's reason %q", err, tt.body)
			}
		})
	}
}

func TestSlackSlowResponseIsBoundedByTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := newHookServer(t, func(_ http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // before the server closes
	s, err := NewSlack(SlackConfig{WebhookURL: srv.URL + "/services/T/B/X", Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = s.Send(t.Context(), happyHorse())
	if err == nil || IsPermanent(err) {
		t.Fatalf("Send = %v, want a transient error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %s despite a 200ms timeout", d)
	}
}

func TestSlackPacesOneMessagePerSecond(t *testing.T) {
	srv := newHookServer(t, nil)
	clock := newFakeClock(t0)
	s := newTestSlack(t, srv.URL+"/services/T/B/X", clock)
	for i := range 3 {
		if err := s.Send(t.Context(), happyHorse()); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	sleeps := clock.Sleeps()
	if len(sleeps) != 2 {
		t.Fatalf("sleeps = %v, want two of ~1s", sleeps)
	}
	for _, d := range sleeps {
		if d < 900*time.Millisecond || d > time.Second {
			t.Errorf("sleeps = %v, want ~1s each", sleeps)
		}
	}
	if got := len(srv.Requests()); got != 3 {
		t.Errorf("server got %d messages", got)
	}

	// After a quiet second no wait is needed.
	clock.Advance(5 * time.Second)
	if err := s.Send(t.Context(), happyHorse()); err != nil {
		t.Fatal(err)
	}
	if got := len(clock.Sleeps()); got != 2 {
		t.Errorf("slept after a quiet period: %v", clock.Sleeps())
	}
}
