package monitor

import (
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/internal/shared"
	"github.com/catalyst-monitor/catalyst/notify"
)

// TestDaemonAgreesWithReplay serves the development timeline as a live feed that grows a few
// items per poll (newest first, as feeds list them) and checks that polling it gives the same
// transitions, at the same times, as replaying the timeline in published order.
func TestDaemonAgreesWithReplay(t *testing.T) {
	dir := shared.Dir(t, "eval")
	f, err := os.Open(filepath.Join(dir, "dev-timeline.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	hs, err := feeds.ReadJSONL(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Published.Before(hs[j].Published) })
	cfg, _, err := config.Load("../../configs/catalyst.yaml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	key := func(ts []string) string { return strings.Join(ts, "\n") }

	// Replay: every headline in published order.
	replay, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: openStore(t), Channels: map[string]notify.Channel{}})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, h := range hs {
		ts, err := replay.Ingest(context.Background(), []feeds.Headline{h})
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range ts {
			want = append(want, fmt.Sprintf("%s %s>%s %s", tr.Catalyst, tr.From, tr.To, tr.At.Format(time.RFC3339)))
		}
	}

	for seed := uint64(1); seed <= 5; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		var mu sync.Mutex
		visible := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			var b strings.Builder
			b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>news</title>`)
			for i := visible - 1; i >= 0 && i >= visible-8; i-- { // the newest 8, newest first
				h := hs[i]
				fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate></item>`,
					html.EscapeString(h.Title), html.EscapeString(h.Link), h.ID, h.Published.Format(time.RFC1123Z))
			}
			b.WriteString(`</channel></rss>`)
			w.Write([]byte(b.String()))
		}))
		c := *cfg
		c.Defaults.PerHostInterval = 0 // one local host: no politeness delay needed
		c.Feeds = []config.Feed{{Name: "news", URL: srv.URL, Schedule: "@every 1m", MaxBodyBytes: 1 << 20}}
		m, err := New(context.Background(), &c, &config.Secrets{}, Options{Store: openStore(t), Channels: map[string]notify.Channel{}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for visible < len(hs) {
			mu.Lock()
			visible = min(len(hs), visible+1+rng.IntN(5))
			mu.Unlock()
			res := m.PollFeed(context.Background(), c.Feeds[0])
			if res.Err != nil {
				t.Fatal(res.Err)
			}
		}
		for _, id := range []string{"happyhorse-alibaba", "disney-bytedance", "happyhorse-launch"} {
			trs, err := m.store.Transitions(context.Background(), id, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range trs {
				got = append(got, fmt.Sprintf("%s %s>%s %s", tr.Catalyst, tr.From, tr.To, tr.At.UTC().Format(time.RFC3339)))
			}
		}
		sort.Strings(got)
		w := append([]string(nil), want...)
		sort.Strings(w)
		if key(got) != key(w) {
			t.Errorf("seed %d: the daemon made\n%s\nreplay made\n%s", seed, key(got), key(w))
		}
		srv.Close()
	}
	if len(want) != 3 {
		t.Errorf("replay made %d transitions, want the 3 labelled ones", len(want))
	}
}
