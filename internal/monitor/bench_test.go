package monitor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/notify"
	"github.com/catalyst-monitor/catalyst/store/sqlite"
)

// toggleConfig is a catalyst that flips between two states on every trusted headline, so each
// benchmark iteration makes one transition.
const toggleConfig = `
policy: {trusted_sources: [wire.example]}
catalysts:
  - id: toggle
    name: Toggle
    tickers: [TGL]
    initial: off
    entities: {acme: [Acme]}
    about: [acme]
    states:
      off: {impact: {TGL: bearish}, cues: ["switches off"]}
      on: {impact: {TGL: bullish}, cues: ["switches on"]}
    transitions: {off: [on], on: [off]}
`

// signalChannel hands each alert to a waiting benchmark iteration.
type signalChannel struct{ got chan time.Time }

func (s *signalChannel) Name() string { return "bench" }
func (s *signalChannel) Send(context.Context, notify.Alert) error {
	s.got <- time.Now()
	return nil
}

// BenchmarkFeedToAlert measures the latency from "feed body received" to "alert handed to the
// channel": parse, dedupe, classify, policy, one SQLite transaction, and the dispatcher's send.
func BenchmarkFeedToAlert(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(toggleConfig), 0o600)
	cfg, _, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ch := &signalChannel{got: make(chan time.Time, 1)}
	m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: db,
		Channels: map[string]notify.Channel{"bench": ch}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); m.disp.Run(ctx, m.wake) }()
	lat := make([]time.Duration, 0, b.N)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		verb := "on"
		if i%2 == 1 {
			verb = "off"
		}
		body := fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>w</title><item><title>Acme switches %s plant %d</title><link>https://wire.example/%d</link><guid>b%d</guid><pubDate>%s</pubDate></item></channel></rss>`,
			verb, i, i, i, base.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z))
		start := time.Now()
		hs, err := feeds.Parse([]byte(body), feeds.ParseOptions{FeedURL: "https://wire.example/rss", Now: start})
		if err != nil {
			b.Fatal(err)
		}
		ts, err := m.Ingest(ctx, hs)
		if err != nil || len(ts) != 1 {
			b.Fatalf("iteration %d: %d transitions, %v", i, len(ts), err)
		}
		sent := <-ch.got
		lat = append(lat, sent.Sub(start))
	}
	b.StopTimer()
	cancel()
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkIngestHeadlines measures the store's write cost per new headline: batches of 100
// headlines (seen-set writes, classification, one transaction per batch) into a SQLite file.
func BenchmarkIngestHeadlines(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(toggleConfig), 0o600)
	cfg, _, _ := config.Load(path, func(string) string { return "" })
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: db, Channels: map[string]notify.Channel{}})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 100
	now := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		hs := make([]feeds.Headline, batch)
		for j := range hs {
			n := i*batch + j
			hs[j] = feeds.Headline{ID: fmt.Sprintf("h%d", n), Source: "example.com",
				Title: fmt.Sprintf("Quarterly results number %d beat estimates", n), Link: fmt.Sprintf("https://example.com/%d", n),
				Published: now, FirstSeen: now}
		}
		if _, err := m.Ingest(context.Background(), hs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "headlines/s")
}
