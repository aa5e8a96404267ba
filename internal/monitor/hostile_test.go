package monitor

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/notify"
)

// gzipBomb is a small gzip stream that inflates to n bytes of spaces.
func gzipBomb(t *testing.T, n int64) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for written := int64(0); written < n; written += int64(len(chunk)) {
		zw.Write(chunk)
	}
	zw.Close()
	return b.Bytes()
}

// TestHostileFeedsAreBoundedLoggedAndIsolated polls a good feed alongside hosts that send an
// endless body, a gzip bomb, a drip of one byte at a time, a redirect loop and garbage: each
// hostile poll ends within the configured bounds with an error logged under the feed's name and
// URL, and the good feed's alert still goes out.
func TestHostileFeedsAreBoundedLoggedAndIsolated(t *testing.T) {
	bomb := gzipBomb(t, 64<<20) // 64× the body cap
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(rssBody("Acme agrees to merge with Bolt")))
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>`))
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(bomb)
	})
	mux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for r.Context().Err() == nil {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>\xff\xfe not a feed</body></html>")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	names := []string{"good", "endless", "bomb", "drip", "loop", "garbage"}
	var feedsYAML []string
	for _, n := range names {
		feedsYAML = append(feedsYAML, fmt.Sprintf("{name: %s, url: %q}", n, srv.URL+"/"+n))
	}
	cfg := testConfig(t, "["+strings.Join(feedsYAML, ", ")+"]",
		"defaults: {timeout: 2s, max_body_bytes: 1048576, failure_threshold: 1}")
	core, logs := observer.New(zap.WarnLevel)
	rec := &recorder{}
	m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: openStore(t), Logger: zap.New(core),
		Channels: map[string]notify.Channel{"rec": rec}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results := m.PollAll(context.Background())
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("polling took %s; every request is bounded by the 2s timeout", took)
	}
	for i, r := range results {
		if (r.Err == nil) != (names[i] == "good") {
			t.Errorf("feed %s: error %v", names[i], r.Err)
		}
	}
	if _, _, err := m.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	transitions := 0
	for _, a := range rec.got() {
		if a.Kind == notify.KindTransition {
			transitions++
		}
	}
	if transitions != 1 {
		t.Errorf("the good feed's alert: %d transitions delivered, want 1", transitions)
	}
	for _, n := range names[1:] {
		found := false
		for _, e := range logs.FilterMessage("poll failed").All() {
			fields := e.ContextMap()
			if fields["feed"] == n && fields["url"] == srv.URL+"/"+n && fields["error"] != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning logged with the name and URL of feed %s", n)
		}
	}
}
