package feeds

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Polling benchmark: one Fetcher polls 10,000 small RSS feeds served by an in-process httptest
// server on 127.0.0.1. Every cycle 10% of the feeds publish a new item; the others answer
// If-None-Match with 304. The Fetcher polls every feed once per cycle and the changed ones are
// parsed. Run it on its own, so the memory figures are its own:
//
//	go test -run '^$' -bench Poll10k -benchtime 10x ./feeds/
//
// Reported per steady-state cycle: s/cycle (wall clock for the 10,000 feeds), cpu-s/cycle
// (user+system CPU of the whole process, server included, from getrusage), changed/cycle and
// headlines/cycle; for the run: peak-heap-MiB (the largest HeapInuse sampled, via
// runtime/metrics, every 250 fetches) and peak-rss-MiB (VmHWM from /proc/self/status, reset
// after the first cycle when the kernel allows). The first cycle, which fetches and parses all
// 10,000 feeds, is reported apart as first-s, first-cpu-s, first-peak-heap-MiB and
// first-peak-rss-MiB (VmHWM since the process started). The test server runs in the same
// process: its CPU and memory are in every figure.
const (
	pollFeeds        = 10_000
	pollItems        = 20
	pollChangedEvery = 10 // one feed in ten changes per cycle
	pollWorkers      = 64
)

// pollServer serves /feed/N for N < pollFeeds: an RSS document of pollItems items whose newest
// item is the feed's version, with an ETag naming the version.
type pollServer struct {
	versions []atomic.Uint32
	bufs     sync.Pool
	served   atomic.Int64 // 200 responses
	notMod   atomic.Int64 // 304 responses
}

func newPollServer() *pollServer {
	s := &pollServer{versions: make([]atomic.Uint32, pollFeeds)}
	s.bufs.New = func() any { return new(bytes.Buffer) }
	return s
}

func (s *pollServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/feed/"))
	if err != nil || n < 0 || n >= pollFeeds {
		http.NotFound(w, r)
		return
	}
	v := s.versions[n].Load()
	etag := `"` + strconv.Itoa(n) + "-" + strconv.Itoa(int(v)) + `"`
	if r.Header.Get("If-None-Match") == etag {
		s.notMod.Add(1)
		w.Header()["Etag"] = []string{etag}
		w.WriteHeader(http.StatusNotModified)
		return
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	writePollFeed(buf, n, int(v))
	h := w.Header()
	h["Etag"] = []string{etag}
	h["Content-Type"] = []string{"application/rss+xml; charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	s.served.Add(1)
	_, _ = w.Write(buf.Bytes())
	s.bufs.Put(buf)
}

// writePollFeed renders version v of feed n: items v+pollItems-1 down to v.
func writePollFeed(buf *bytes.Buffer, n, v int) {
	fmt.Fprintf(buf, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Feed %d</title><link>https://news%d.example.com/</link>
<atom:link href="https://news%d.example.com/feed/%d.xml" rel="self" type="application/rss+xml"/>
<description>Benchmark feed %d</description>
`, n, n%50, n%50, n, n)
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for k := v + pollItems - 1; k >= v; k-- {
		fmt.Fprintf(buf, `<item><title>Company %d reports results for quarter %d &amp; raises guidance</title>
<link>https://news%d.example.com/%d/story-%d?utm_source=rss</link><guid isPermaLink="false">feed-%d-item-%d</guid>
<pubDate>%s</pubDate><description><![CDATA[<p>Story %d of feed %d: revenue rose and the outlook improved, the company said on <b>Tuesday</b>.</p>]]></description></item>
`, n, k, n%50, n, k, n, k, base.Add(time.Duration(k)*time.Minute).Format(time.RFC1123Z), k, n)
	}
	buf.WriteString("</channel></rss>\n")
}

// pollState is what a poller keeps per feed between cycles.
type pollState struct {
	etag, lastModified, bodyHash string
}

// pollCycle fetches every feed once with pollWorkers workers, parsing changed bodies. It returns
// how many feeds changed and how many headlines they gave.
func pollCycle(ctx context.Context, f *Fetcher, base string, states []pollState, sample func()) (changed, headlines int, err error) {
	var next atomic.Int64
	var nChanged, nHeadlines atomic.Int64
	var errMu sync.Mutex
	var firstErr error
	fail := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
	}
	var wg sync.WaitGroup
	for w := 0; w < pollWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(states) {
					return
				}
				if i%250 == 0 {
					sample()
				}
				st := &states[i]
				url := base + "/feed/" + strconv.Itoa(i)
				resp, err := f.Fetch(ctx, Request{URL: url, ETag: st.etag, LastModified: st.lastModified, PrevBodyHash: st.bodyHash})
				if err != nil {
					fail(err)
					return
				}
				if !resp.NotModified && !resp.Unchanged {
					hs, err := Parse(resp.Body, ParseOptions{FeedURL: url, FeedName: "feed", ContentType: resp.ContentType})
					if err != nil {
						fail(err)
						return
					}
					nChanged.Add(1)
					nHeadlines.Add(int64(len(hs)))
				}
				st.etag, st.lastModified, st.bodyHash = resp.ETag, resp.LastModified, resp.BodyHash
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return 0, 0, firstErr
	}
	return int(nChanged.Load()), int(nHeadlines.Load()), nil
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procStatusKiB reads a "Name:   123 kB" line of /proc/self/status; 0 when unavailable.
func procStatusKiB(name string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}

// heapSampler tracks the largest heap in use seen.
type heapSampler struct {
	mu      sync.Mutex
	samples []metrics.Sample
	peak    atomic.Uint64
}

func newHeapSampler() *heapSampler {
	return &heapSampler{samples: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}}
}

// sample records HeapInuse (heap objects plus fragmentation in in-use spans).
func (h *heapSampler) sample() {
	h.mu.Lock()
	metrics.Read(h.samples)
	inuse := h.samples[0].Value.Uint64() + h.samples[1].Value.Uint64()
	h.mu.Unlock()
	for {
		old := h.peak.Load()
		if inuse <= old || h.peak.CompareAndSwap(old, inuse) {
			return
		}
	}
}

func BenchmarkPoll10k(b *testing.B) {
	srv := newPollServer()
	ts := httptest.NewServer(srv) // listens on 127.0.0.1
	defer ts.Close()
	if !strings.HasPrefix(ts.URL, "http://127.0.0.1:") {
		b.Fatalf("test server at %s, want 127.0.0.1", ts.URL)
	}
	f := NewFetcher(FetcherOptions{GlobalLimit: pollWorkers, PerHostLimit: pollWorkers})
	ctx := b.Context()
	states := make([]pollState, pollFeeds)
	heap := newHeapSampler()

	// The first cycle fetches and parses everything; the benchmark measures the steady state.
	// The first cycle's figures are reported too, as first-*.
	start, cpuStart := time.Now(), cpuTime(b)
	if changed, _, err := pollCycle(ctx, f, ts.URL, states, heap.sample); err != nil || changed != pollFeeds {
		b.Fatalf("first cycle: %d changed, %v", changed, err)
	}
	firstWall, firstCPU := time.Since(start), cpuTime(b)-cpuStart
	firstHeap, firstRSS := heap.peak.Load(), procStatusKiB("VmHWM")
	runtime.GC()
	// Reset the peak RSS to the current RSS, so VmHWM covers the steady state only.
	resetHWM := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	heap.peak.Store(0)

	cycle := 0
	var changed, headlines int
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for b.Loop() {
		cycle++
		for i := range pollFeeds {
			if (i+cycle)%pollChangedEvery == 0 {
				srv.versions[i].Add(1)
			}
		}
		c, h, err := pollCycle(ctx, f, ts.URL, states, heap.sample)
		if err != nil {
			b.Fatal(err)
		}
		if c != pollFeeds/pollChangedEvery {
			b.Fatalf("cycle %d: %d feeds changed, want %d", cycle, c, pollFeeds/pollChangedEvery)
		}
		changed += c
		headlines += h
	}
	b.StopTimer()
	cpu := cpuTime(b) - cpu0
	heap.sample()

	n := float64(b.N)
	b.ReportMetric(b.Elapsed().Seconds()/n, "s/cycle")
	b.ReportMetric(cpu.Seconds()/n, "cpu-s/cycle")
	b.ReportMetric(float64(changed)/n, "changed/cycle")
	b.ReportMetric(float64(headlines)/n, "headlines/cycle")
	b.ReportMetric(float64(heap.peak.Load())/(1<<20), "peak-heap-MiB")
	if hwm := procStatusKiB("VmHWM"); hwm > 0 {
		b.ReportMetric(float64(hwm)/1024, "peak-rss-MiB")
	}
	b.ReportMetric(firstWall.Seconds(), "first-s")
	b.ReportMetric(firstCPU.Seconds(), "first-cpu-s")
	b.ReportMetric(float64(firstHeap)/(1<<20), "first-peak-heap-MiB")
	if firstRSS > 0 {
		b.ReportMetric(float64(firstRSS)/1024, "first-peak-rss-MiB")
	}
	if !resetHWM {
		b.Logf("could not reset VmHWM: peak-rss-MiB covers the whole process")
	}
	b.Logf("server: %d full responses, %d not modified", srv.served.Load(), srv.notMod.Load())
}

// BenchmarkFetch measures one Fetch against the local test server: a 304 (the common case when
// polling) and a 200 with a ~6 KB feed.
func BenchmarkFetch(b *testing.B) {
	srv := newPollServer()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	f := NewFetcher(FetcherOptions{})
	ctx := b.Context()
	url := ts.URL + "/feed/7"
	first, err := f.Fetch(ctx, Request{URL: url})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("not-modified", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := f.Fetch(ctx, Request{URL: url, ETag: first.ETag, PrevBodyHash: first.BodyHash})
			if err != nil || !resp.NotModified {
				b.Fatalf("%v %+v", err, resp)
			}
		}
	})
	b.Run("ok", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := f.Fetch(ctx, Request{URL: url, PrevBodyHash: first.BodyHash})
			if err != nil || resp.NotModified || len(resp.Body) == 0 {
				b.Fatalf("%v %+v", err, resp)
			}
		}
	})
}
