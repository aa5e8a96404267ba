package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/catalyst-monitor/catalyst/internal/testpeer"
	"github.com/catalyst-monitor/catalyst/store/sqlite"
)

// seedConfig writes the seed configuration with its feeds, storage and notifiers replaced, so
// tests run the real seed catalysts against local servers.
func seedConfig(t *testing.T, replace map[string]string) string {
	t.Helper()
	data, err := os.ReadFile("../../configs/catalyst.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	for path, value := range replace {
		p, err := yaml.PathString(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.ReplaceWithReader(file, strings.NewReader(value)); err != nil {
			t.Fatalf("replace %s: %v", path, err)
		}
	}
	out := filepath.Join(t.TempDir(), "catalyst.yaml")
	if err := os.WriteFile(out, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// runCLI runs the program in-process and returns its exit code and outputs.
func runCLI(ctx context.Context, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

const confirmRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://www.reuters.com/</link>
<item>
  <title>Alibaba confirms it built HappyHorse-1.0, the video model that beat Seedance 2.0</title>
  <link>https://www.reuters.com/technology/alibaba-happyhorse-2026-11-14/</link>
  <guid>reuters-happyhorse-1</guid>
  <pubDate>Sat, 14 Nov 2026 09:00:00 GMT</pubDate>
</item>
<item>
  <title>Alibaba shares: what the P/E ratio says</title>
  <link>https://www.reuters.com/markets/alibaba-pe/</link>
  <guid>reuters-pe-1</guid>
  <pubDate>Sat, 14 Nov 2026 08:00:00 GMT</pubDate>
</item>
</channel></rss>`

func TestEndToEndConfirmationAlertsOnceOnEveryChannel(t *testing.T) {
	var feedHits atomic.Int64
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		feedHits.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(confirmRSS))
	}))
	defer feed.Close()
	slack := testpeer.NewReceiver(t)
	mail := testpeer.NewSMTPServer(t)

	dir := t.TempDir()
	dbPath := filepath.Join(dir, "state.db")
	cfg := seedConfig(t, map[string]string{
		"$.feeds":     fmt.Sprintf("[{name: wire, url: %q, schedule: \"@every 1h\"}]", feed.URL+"/rss"),
		"$.storage":   fmt.Sprintf("{path: %q}", dbPath),
		"$.notifiers": "{slack: {webhook_url_env: SLACK_WEBHOOK_URL}, email: {tls: none}}",
		"$.listen":    fmt.Sprintf("%q", freeAddr(t)),
	})
	t.Setenv("SLACK_WEBHOOK_URL", slack.URL+"/services/T000/B000/secret")
	t.Setenv("SMTP_HOST", mail.Host)
	t.Setenv("SMTP_PORT", fmt.Sprint(mail.Port))
	t.Setenv("SMTP_USERNAME", "")
	t.Setenv("SMTP_PASSWORD", "")
	t.Setenv("ALERT_EMAIL_FROM", "catalyst@example.com")
	t.Setenv("ALERT_EMAIL_TO", "desk@example.com")
	ctx := context.Background()

	code, _, stderr := runCLI(ctx, "run", "--config", cfg, "--once")
	if code != 0 {
		t.Fatalf("run --once exit %d: %s", code, stderr)
	}
	reqs := slack.Requests()
	if len(reqs) != 1 {
		t.Fatalf("slack got %d messages, want 1", len(reqs))
	}
	mails := mail.Mails()
	if len(mails) != 1 {
		t.Fatalf("smtp got %d mails, want 1", len(mails))
	}
	subject, mailText := decodeMail(t, mails[0].Data)
	for name, body := range map[string]string{"slack": string(reqs[0].Body), "email": subject + "\n" + mailText} {
		for _, want := range []string{"HappyHorse-1.0 is Alibaba", "BABA", "9988.HK", "bullish", "unconfirmed",
			"confirmed", "Alibaba confirms it built HappyHorse-1.0",
			"https://www.reuters.com/technology/alibaba-happyhorse-2026-11-14/", "reuters.com"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s alert lacks %q:\n%s", name, want, body)
			}
		}
	}
	if !strings.HasPrefix(subject, "[BABA ▲ bullish") {
		t.Errorf("email subject %q does not lead with the primary ticker and its impact", subject)
	}

	// A second one-shot run sees the same feed and sends nothing.
	if code, _, stderr := runCLI(ctx, "run", "--config", cfg, "--once"); code != 0 {
		t.Fatalf("second run --once exit %d: %s", code, stderr)
	}
	if n, m := len(slack.Requests()), len(mail.Mails()); n != 1 || m != 1 {
		t.Fatalf("second run sent again: slack %d, email %d", n, m)
	}

	// The daemon, restarted on the same store, polls at start and sends nothing either.
	hitsBefore := feedHits.Load()
	dctx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		code, _, _ := runCLI(dctx, "run", "--config", cfg)
		done <- code
	}()
	deadline := time.Now().Add(20 * time.Second)
	for feedHits.Load() == hitsBefore || !feedPolledAfter(t, dbPath, hitsBefore) {
		if time.Now().After(deadline) {
			stop()
			t.Fatal("the daemon did not poll the feed within 20s")
		}
		time.Sleep(20 * time.Millisecond) // polling with a deadline, not synchronisation by sleep
	}
	checkEndpoints(t, cfg)
	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("daemon exit %d after cancel", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("daemon did not stop within 10s of SIGTERM-equivalent cancel")
	}
	if n, m := len(slack.Requests()), len(mail.Mails()); n != 1 || m != 1 {
		t.Fatalf("restarted daemon sent again: slack %d, email %d", n, m)
	}

	// status shows the new state and its evidence.
	code, out, stderr := runCLI(ctx, "status", "--config", cfg, "--json")
	if code != 0 {
		t.Fatalf("status exit %d: %s", code, stderr)
	}
	var st []struct {
		Catalyst string
		State    string
		Since    *time.Time
		Evidence []struct{ Title, Link string }
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	found := false
	for _, s := range st {
		if s.Catalyst == "happyhorse-alibaba" {
			found = true
			if s.State != "confirmed" || s.Since == nil || len(s.Evidence) != 1 ||
				!strings.Contains(s.Evidence[0].Link, "alibaba-happyhorse") {
				t.Errorf("status of happyhorse-alibaba = %+v", s)
			}
		}
	}
	if !found {
		t.Errorf("status lacks happyhorse-alibaba: %s", out)
	}
	if strings.Contains(out+stderr, "secret") {
		t.Errorf("status output reveals the webhook secret")
	}
}

// feedPolledAfter reports whether the store recorded a completed poll of the feed "wire"
// beyond the one-shot runs (its last poll is newer than the daemon's start is not knowable, so
// this checks the feed hit counter moved and the feed state was written since).
func feedPolledAfter(t *testing.T, dbPath string, _ int64) bool {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		return false
	}
	defer db.Close()
	st, err := db.FeedState(context.Background(), "wire")
	return err == nil && time.Since(st.LastPoll) < 5*time.Second
}

// decodeMail returns a MIME message's decoded subject and the decoded text of all its parts.
func decodeMail(t *testing.T, raw []byte) (string, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse mail: %v", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	var text strings.Builder
	var walk func(h textproto.MIMEHeader, body io.Reader)
	walk = func(h textproto.MIMEHeader, body io.Reader) {
		mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil {
			t.Fatalf("content type %q: %v", h.Get("Content-Type"), err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatalf("multipart: %v", err)
				}
				walk(p.Header, p)
			}
		}
		if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(body)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		text.Write(b)
		text.WriteString("\n")
	}
	walk(textproto.MIMEHeader(msg.Header), msg.Body)
	return subject, text.String()
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// checkEndpoints asks the running daemon's status listener what an operator would.
func checkEndpoints(t *testing.T, cfgPath string) {
	t.Helper()
	data, _ := os.ReadFile(cfgPath)
	var c struct {
		Listen string `yaml:"listen"`
	}
	yaml.Unmarshal(data, &c)
	get := func(path string) (int, string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			resp, err := http.Get("http://" + c.Listen + path)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return resp.StatusCode, string(b)
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET %s: %v", path, err)
			}
			time.Sleep(20 * time.Millisecond) // the listener starts with the daemon
		}
	}
	checks := []struct {
		path  string
		code  int
		wants []string
	}{
		{"/healthz", 200, []string{"ok"}},
		{"/readyz", 200, nil},
		{"/api/catalysts", 200, []string{`"id": "happyhorse-alibaba"`, `"state": "confirmed"`, "alibaba-happyhorse-2026-11-14", `"symbol": "BABA"`}},
		{"/api/feeds", 200, []string{`"name": "wire"`, `"status": "ok"`}},
		{"/metrics", 200, []string{"catalyst_outbox_pending 0", "catalyst_outbox_failed 0",
			`catalyst_feed_polls_total{feed="wire",result="unchanged"} 1`, `catalyst_feed_last_success_timestamp_seconds{feed="wire"}`}},
		{"/", 200, []string{"HappyHorse-1.0 is Alibaba", "confirmed", "https://www.reuters.com/technology/alibaba-happyhorse-2026-11-14/"}},
	}
	for _, c := range checks {
		code, body := get(c.path)
		if code != c.code {
			t.Errorf("GET %s = %d, want %d: %s", c.path, code, c.code, body)
		}
		for _, w := range c.wants {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", c.path, w)
			}
		}
		if strings.Contains(body, "secret") && c.path != "/metrics" {
			t.Errorf("GET %s reveals a secret", c.path)
		}
	}
}

func TestValidateUnknownKeyExitsTwoAndNamesTheLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("log_level: info\nfeeds: []\nfeedz: []\n"), 0o600)
	code, _, stderr := runCLI(context.Background(), "validate", "--config", path)
	if code != 2 {
		t.Fatalf("exit %d, want 2 (stderr %q)", code, stderr)
	}
	if !strings.Contains(stderr, path+":3:1") || !strings.Contains(stderr, "feedz") {
		t.Errorf("error does not name file:line:col and the key: %q", stderr)
	}
}
