package monitor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store"
)

func TestFailingFeedRecoversWithOneAlertEach(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(rssBody("Quarterly results")))
	}))
	defer srv.Close()
	cfg := testConfig(t, fmt.Sprintf(`[{name: flaky, url: %q}]`, srv.URL))
	rec := &recorder{}
	db := openStore(t)
	m := newMonitor(t, cfg, db, rec)
	ctx := context.Background()
	for i := 0; i < 4; i++ { // threshold 2: failing after the second, silent after
		m.PollFeed(ctx, cfg.Feeds[0])
	}
	down.Store(false)
	m.PollFeed(ctx, cfg.Feeds[0])
	m.PollFeed(ctx, cfg.Feeds[0])
	m.Deliver(ctx)
	var failing, recovered int
	for _, a := range rec.got() {
		switch {
		case strings.Contains(a.Text, "is failing"):
			failing++
		case strings.Contains(a.Text, "recovered"):
			recovered++
		}
	}
	if failing != 1 || recovered != 1 {
		t.Errorf("operator alerts: %d failing, %d recovered; want 1 each", failing, recovered)
	}
	st, _ := db.FeedState(ctx, "flaky")
	if st.Status != store.FeedOK || st.Failures != 0 {
		t.Errorf("after recovery: %+v", st)
	}
}

func TestPermanentRedirectIsRemembered(t *testing.T) {
	var oldHits, newHits atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		oldHits.Add(1)
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		newHits.Add(1)
		w.Write([]byte(rssBody("Quarterly results")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := testConfig(t, fmt.Sprintf(`[{name: moved, url: %q}]`, srv.URL+"/old"))
	db := openStore(t)
	m := newMonitor(t, cfg, db, &recorder{})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if r := m.PollFeed(ctx, cfg.Feeds[0]); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if oldHits.Load() != 1 || newHits.Load() != 3 {
		t.Errorf("old URL hit %d times, new %d; want 1 and 3", oldHits.Load(), newHits.Load())
	}
	if st, _ := db.FeedState(ctx, "moved"); st.PermanentURL != srv.URL+"/new" {
		t.Errorf("permanent URL = %q", st.PermanentURL)
	}
}

// outage is a channel that refuses everything while down.
type outage struct {
	mu    sync.Mutex
	down  bool
	alert []notify.Alert
}

func (o *outage) Name() string { return "hook" }
func (o *outage) Send(_ context.Context, a notify.Alert) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down {
		return &notify.DeliveryError{Channel: "hook", Err: errors.New("503"), RetryAfter: 10 * time.Minute}
	}
	o.alert = append(o.alert, a)
	return nil
}

func TestRetryStateSurvivesARestart(t *testing.T) {
	cfg := testConfig(t, "[]")
	db := openStore(t)
	ch := &outage{down: true}
	clock := time.Now().Add(time.Second) // the store stamps new rows with the wall clock
	now := func() time.Time { return clock }
	newM := func() *Monitor {
		m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: db, Now: now,
			Channels: map[string]notify.Channel{"hook": ch}})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ctx := context.Background()
	m := newM()
	m.Ingest(ctx, []feeds.Headline{headline("a", "wire.example", "Acme agrees to merge with Bolt", t0)})
	if _, pending, _ := m.Deliver(ctx); pending != 1 { // refused: retry no sooner than Retry-After, 10 minutes
		t.Fatalf("pending after a refused delivery: %d", pending)
	}
	ch.mu.Lock()
	ch.down = false
	ch.mu.Unlock()

	m2 := newM() // a restart: a new dispatcher with no memory of the failure
	clock = clock.Add(5 * time.Minute)
	if n, _, _ := m2.Deliver(ctx); n != 0 {
		t.Fatalf("the restarted dispatcher sent before the stored retry time")
	}
	clock = clock.Add(6 * time.Minute)
	if n, _, _ := m2.Deliver(ctx); n != 1 {
		t.Fatalf("after the retry time: delivered %d, want 1", n)
	}
	items, _ := db.ListOutbox(ctx, store.OutboxDelivered, 0)
	if len(items) != 1 || items[0].Attempts != 1 {
		t.Errorf("outbox after delivery: %+v", items)
	}
}

func TestImpossibleDatesNeitherFreezeACatalystNorStopAFeed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Acme agrees to merge with Bolt</title><link>https://wire.example/1</link><guid>g1</guid><pubDate>Mon, 01 Jan 2300 00:00:00 GMT</pubDate></item>
</channel></rss>`))
	}))
	defer srv.Close()
	cfg := testConfig(t, fmt.Sprintf(`[{name: odd, url: %q}]`, srv.URL))
	db := openStore(t)
	m := newMonitor(t, cfg, db, &recorder{})
	ctx := context.Background()
	before := time.Now()
	if r := m.PollFeed(ctx, cfg.Feeds[0]); r.Err != nil || r.Transitions != 1 {
		t.Fatalf("a feed item dated 2300: %+v", r)
	}
	st := m.States()["acme-merger"]
	if st.Since.Before(before.Add(-time.Minute)) || st.Since.After(time.Now().Add(time.Minute)) {
		t.Errorf("the state began at %v; a date in the future counts as the first sighting", st.Since)
	}
	// A later real headline still moves the catalyst: it was not frozen in 2300.
	ts, _ := m.Ingest(ctx, []feeds.Headline{headline("b", "wire.example", "Acme calls off Bolt deal", time.Now().Add(time.Minute))})
	if len(ts) != 1 {
		t.Errorf("a later headline did not move the catalyst: %+v", ts)
	}
}
