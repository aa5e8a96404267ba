package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store"
	"github.com/catalyst-monitor/catalyst/store/sqlite"
)

// testConfig is a small catalyst with a quorum policy, and the given feeds.
func testConfig(t *testing.T, feedsYAML string, extra ...string) *config.Config {
	t.Helper()
	// extra YAML lines are added; one starting "defaults:" replaces the test defaults.
	defaults := "defaults: {failure_threshold: 2, max_backoff: 1h}"
	var rest []string
	for _, e := range extra {
		if strings.HasPrefix(e, "defaults:") {
			defaults = e
		} else {
			rest = append(rest, e)
		}
	}
	text := strings.Join(rest, "\n") + "\n" + defaults + `
policy: {trusted_sources: [wire.example], quorum: 2, window: 72h}
feeds: ` + feedsYAML + `
catalysts:
  - id: acme-merger
    name: "Acme merges with Bolt"
    tickers: [ACME, BOLT]
    initial: rumoured
    entities:
      acme: [Acme]
      bolt: [Bolt]
    about: [acme, bolt]
    states:
      rumoured: {impact: {ACME: neutral}}
      agreed:
        description: "The boards agreed the merger."
        impact: {ACME: bullish, BOLT: bullish}
        cues: ["(agree|agrees|agreed) to merge"]
      called_off:
        impact: {ACME: bearish, BOLT: bearish}
        cues: ["(calls|called) off"]
    transitions:
      rumoured: [agreed, called_off]
      agreed: [called_off]
language:
  hedges: ["(reportedly|could|?)"]
  negations: ["(not|no)"]
`
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// recorder is a real notify.Channel that keeps what it was sent.
type recorder struct {
	mu     sync.Mutex
	alerts []notify.Alert
}

func (r *recorder) Name() string { return "rec" }
func (r *recorder) Send(_ context.Context, a notify.Alert) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.alerts = append(r.alerts, a)
	return nil
}
func (r *recorder) got() []notify.Alert {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Alert(nil), r.alerts...)
}

func newMonitor(t *testing.T, cfg *config.Config, db store.Store, rec *recorder) *Monitor {
	t.Helper()
	m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: db,
		Channels: map[string]notify.Channel{"rec": rec}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func headline(id, source, title string, published time.Time) feeds.Headline {
	return feeds.Headline{ID: id, Source: source, Title: title, Link: "https://" + source + "/" + id, Published: published}
}

var t0 = time.Date(2026, 11, 14, 9, 0, 0, 0, time.UTC)

func TestIngestNeedsQuorumAndAlertsOnce(t *testing.T) {
	cfg := testConfig(t, "[]")
	db := openStore(t)
	rec := &recorder{}
	m := newMonitor(t, cfg, db, rec)
	ctx := context.Background()

	ts, err := m.Ingest(ctx, []feeds.Headline{headline("h1", "blog.example", "Acme agrees to merge with Bolt", t0)})
	if err != nil || len(ts) != 0 {
		t.Fatalf("one untrusted source moved the state: %v %v", ts, err)
	}
	// The same story syndicated elsewhere is not a second source.
	ts, _ = m.Ingest(ctx, []feeds.Headline{headline("h2", "finance.yahoo.com", "Acme agrees to merge with Bolt - Blog Example", t0.Add(time.Hour))})
	if len(ts) != 0 {
		t.Fatalf("a syndicated copy counted as an independent source: %v", ts)
	}
	ts, _ = m.Ingest(ctx, []feeds.Headline{
		headline("h3", "news.example", "Could Acme agree to merge with Bolt?", t0.Add(2*time.Hour)),
		headline("h4", "paper.example", "Bolt and Acme boards agreed to merge, ending months of talks", t0.Add(3*time.Hour)),
	})
	if len(ts) != 1 || ts[0].To != "agreed" || !ts[0].At.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("transitions = %+v, want one to agreed at h4's time", ts)
	}
	// Replaying the same headlines changes nothing and queues nothing.
	ts, _ = m.Ingest(ctx, []feeds.Headline{headline("h4", "paper.example", "Bolt and Acme boards agreed to merge, ending months of talks", t0.Add(3*time.Hour))})
	if len(ts) != 0 {
		t.Fatalf("a seen headline was processed again: %v", ts)
	}
	if n, _, err := m.Deliver(ctx); err != nil || n != 1 {
		t.Fatalf("delivered %d (%v), want 1", n, err)
	}
	if n, _, _ := m.Deliver(ctx); n != 0 {
		t.Fatalf("a delivered alert was delivered again")
	}
	got := rec.got()
	if len(got) != 1 {
		t.Fatalf("channel got %d alerts", len(got))
	}
	a := got[0]
	if a.From != "rumoured" || a.To != "agreed" || a.Sources != 2 || len(a.Evidence) != 3 || // the syndicated copy is evidence, not a source

		a.Tickers[0] != (notify.Ticker{Symbol: "ACME", Primary: true, Impact: notify.Bullish}) {
		t.Errorf("alert = %+v", a)
	}

	// A new Monitor on the same store restores the state: no re-alert, and the graph goes on.
	m2 := newMonitor(t, cfg, db, rec)
	if st := m2.States()["acme-merger"]; st.State != "agreed" || !st.Since.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("restored state = %+v", st)
	}
	ts, _ = m2.Ingest(ctx, []feeds.Headline{headline("h5", "wire.example", "Acme calls off Bolt deal", t0.Add(24*time.Hour))})
	if len(ts) != 1 || ts[0].From != "agreed" || ts[0].To != "called_off" {
		t.Fatalf("after restart: %+v", ts)
	}
}

func TestLateHeadlineDoesNotUndoAState(t *testing.T) {
	cfg := testConfig(t, "[]")
	m := newMonitor(t, cfg, openStore(t), &recorder{})
	ctx := context.Background()
	if ts, _ := m.Ingest(ctx, []feeds.Headline{headline("a", "wire.example", "Acme agrees to merge with Bolt", t0)}); len(ts) != 1 {
		t.Fatal("trusted source did not decide")
	}
	ts, _ := m.Ingest(ctx, []feeds.Headline{headline("b", "wire.example", "Acme calls off Bolt deal", t0.Add(-time.Hour))})
	if len(ts) != 0 {
		t.Fatalf("a headline published before the state began undid it: %+v", ts)
	}
}

// feedServer serves one RSS item per call of items(), with ETag support.
func rssBody(titles ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	for i, title := range titles {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://wire.example/%d</link><guid>g%d-%s</guid><pubDate>Sat, 14 Nov 2026 09:00:00 GMT</pubDate></item>`, title, i, i, strings.ReplaceAll(title, " ", ""))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func TestPollFeedsFailuresAreIsolatedAndReported(t *testing.T) {
	var okHits, notModified atomic.Int64
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		okHits.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte(rssBody("Acme agrees to merge with Bolt")))
	}))
	defer good.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer broken.Close()
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusGone)
	}))
	defer gone.Close()
	cfg := testConfig(t, fmt.Sprintf(`[{name: good, url: %q}, {name: broken, url: %q}, {name: gone, url: %q}]`,
		good.URL, broken.URL, gone.URL))
	db := openStore(t)
	rec := &recorder{}
	m := newMonitor(t, cfg, db, rec)
	ctx := context.Background()

	for round := 1; round <= 3; round++ {
		res := m.PollAll(ctx)
		if res[0].Err != nil {
			t.Fatalf("round %d: good feed failed: %v", round, res[0].Err)
		}
		if res[1].Err == nil || res[2].Err == nil {
			t.Fatalf("round %d: broken feeds reported no error", round)
		}
	}
	if notModified.Load() != 2 {
		t.Errorf("conditional GET: %d of 3 polls were 304, want 2", notModified.Load())
	}
	if st := m.States()["acme-merger"]; st.State != "agreed" {
		t.Errorf("the good feed's trusted headline did not decide: %+v", st)
	}
	bs, err := db.FeedState(ctx, "broken")
	if err != nil || bs.Failures != 3 || bs.Status != store.FeedFailing || !strings.Contains(bs.LastError, "500") {
		t.Errorf("broken feed state = %+v (%v)", bs, err)
	}
	gs, _ := db.FeedState(ctx, "gone")
	if gs.Status != store.FeedDead {
		t.Errorf("gone feed status = %q, want dead", gs.Status)
	}
	if _, _, err := m.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	var transitions, failing, dead int
	for _, a := range rec.got() {
		switch {
		case a.Kind == "transition":
			transitions++
		case strings.Contains(a.Text, "broken") && strings.Contains(a.Text, "failing"):
			failing++
		case strings.Contains(a.Text, "gone") && strings.Contains(a.Text, "410"):
			dead++
		}
	}
	if transitions != 1 || failing != 1 || dead != 1 {
		t.Errorf("alerts: %d transitions, %d failing, %d dead; want 1 each: %+v", transitions, failing, dead, rec.got())
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(rssBody("Acme agrees to merge with Bolt")))
	}))
	defer srv.Close()
	cfg := testConfig(t, fmt.Sprintf(`[{name: a, url: %q, schedule: "@every 1h"}]`, srv.URL))
	db := openStore(t)
	rec := &recorder{}
	m := newMonitor(t, cfg, db, rec)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(rec.got()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no alert within 10s of start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop within 5s")
	}
}

func TestNotDueHonoursBackoffAndMaxAge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Write([]byte(rssBody("Quarterly results")))
	}))
	defer srv.Close()
	cfg := testConfig(t, fmt.Sprintf(`[{name: honour, url: %q, honor_max_age: true}, {name: plain, url: %q}]`, srv.URL+"/a", srv.URL+"/b"))
	m := newMonitor(t, cfg, openStore(t), &recorder{})
	ctx := context.Background()
	m.PollAll(ctx)
	if !m.notDue(ctx, cfg.Feeds[0]) {
		t.Error("a feed honouring max-age=3600 is due again at once")
	}
	if m.notDue(ctx, cfg.Feeds[1]) {
		t.Error("a feed not honouring max-age skipped its schedule")
	}
}
