package feeds

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

const smallRSS = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><link>https://www.example.com/</link>
<item><title>Hello</title><link>https://www.example.com/1</link><guid>1</guid><pubDate>Wed, 05 Mar 2025 10:00:00 +0000</pubDate></item></channel></rss>`

// testFetcher returns a Fetcher with short timeouts, suitable for hostile servers.
func testFetcher(opts FetcherOptions) *Fetcher {
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = 5 * time.Second
	}
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 2 * time.Second
	}
	return NewFetcher(opts)
}

// serve starts a test server with handler h, closed when the test ends.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// fetchErr fetches url and returns the *FetchError, failing the test when there is none.
func fetchErr(t *testing.T, f *Fetcher, req Request) *FetchError {
	t.Helper()
	resp, err := f.Fetch(t.Context(), req)
	if err == nil {
		t.Fatalf("Fetch(%s) succeeded with status %d, want an error", req.URL, resp.Status)
	}
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("error %T %v is not a *FetchError", err, err)
	}
	return fe
}

func TestFetchConditionalGet(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 05 Mar 2025 10:00:00 GMT")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, smallRSS)
	})
	f := testFetcher(FetcherOptions{UserAgent: "catalyst-test"})

	first, err := f.Fetch(t.Context(), Request{URL: srv.URL, Headers: map[string]string{"X-Feed": "1", "Accept-Encoding": "br"}})
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != 200 || first.NotModified || first.Unchanged || string(first.Body) != smallRSS ||
		first.ETag != `"v1"` || first.LastModified == "" || first.MaxAge != 5*time.Minute ||
		first.ContentType != "application/rss+xml; charset=utf-8" || len(first.BodyHash) != 64 {
		t.Fatalf("first response = %+v", first)
	}

	second, err := f.Fetch(t.Context(), Request{URL: srv.URL, ETag: first.ETag, LastModified: first.LastModified, PrevBodyHash: first.BodyHash})
	if err != nil {
		t.Fatal(err)
	}
	if second.Status != 304 || !second.NotModified || !second.Unchanged || second.ETag != `"v1"` ||
		second.LastModified != first.LastModified || second.BodyHash != first.BodyHash || len(second.Body) != 0 {
		t.Fatalf("second response = %+v", second)
	}

	mu.Lock()
	defer mu.Unlock()
	if h := seen[0]; h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
		t.Errorf("first request sent validators it did not have: %v", h)
	}
	if h := seen[0]; h.Get("User-Agent") != "catalyst-test" || h.Get("X-Feed") != "1" || h.Get("Accept-Encoding") == "br" {
		t.Errorf("first request headers = %v", h)
	}
	if h := seen[1]; h.Get("If-None-Match") != `"v1"` || h.Get("If-Modified-Since") != first.LastModified {
		t.Errorf("second request validators = %v", h)
	}
}

func TestFetchUnchangedBody(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, smallRSS) })
	f := testFetcher(FetcherOptions{})
	first, err := f.Fetch(t.Context(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.Fetch(t.Context(), Request{URL: srv.URL, PrevBodyHash: first.BodyHash})
	if err != nil {
		t.Fatal(err)
	}
	if first.Unchanged || !second.Unchanged || second.NotModified || second.BodyHash != first.BodyHash {
		t.Errorf("first.Unchanged=%v second=%+v", first.Unchanged, second)
	}
	third, err := f.Fetch(t.Context(), Request{URL: srv.URL, PrevBodyHash: "something else"})
	if err != nil || third.Unchanged {
		t.Errorf("different hash: %v %+v", err, third)
	}
}

func TestFetchEndlessBody(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		chunk := []byte(strings.Repeat("<item><title>x</title></item>", 1000))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	f := testFetcher(FetcherOptions{MaxBytes: 4 << 20})
	fe := fetchErr(t, f, Request{URL: srv.URL, MaxBytes: 1 << 20})
	if fe.Class != ClassTooLarge || !strings.Contains(fe.Error(), "body exceeds 1048576 bytes") || fe.Temporary() {
		t.Errorf("got %v (class %s)", fe, fe.Class)
	}
	// The Fetcher-wide cap applies without an override.
	fe = fetchErr(t, f, Request{URL: srv.URL})
	if fe.Class != ClassTooLarge || !strings.Contains(fe.Error(), "body exceeds 4194304 bytes") {
		t.Errorf("got %v", fe)
	}
}

func TestFetchContentLengthTooLarge(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5000000")
		w.WriteHeader(200)
	})
	fe := fetchErr(t, testFetcher(FetcherOptions{}), Request{URL: srv.URL, MaxBytes: 1000})
	if fe.Class != ClassTooLarge {
		t.Errorf("got %v", fe)
	}
}

func TestFetchGzipBomb(t *testing.T) {
	const inflated = 2 << 30 // what the stream decompresses to if read to the end
	var produced atomic.Int64
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		gz, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
		if err != nil {
			return
		}
		zeros := make([]byte, 256<<10)
		for produced.Load() < inflated && r.Context().Err() == nil {
			if _, err := gz.Write(zeros); err != nil {
				return
			}
			produced.Add(int64(len(zeros)))
		}
		_ = gz.Close()
	})
	f := testFetcher(FetcherOptions{})

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fe := fetchErr(t, f, Request{URL: srv.URL, MaxBytes: 1 << 20})
	runtime.ReadMemStats(&after)

	if fe.Class != ClassTooLarge || !strings.Contains(fe.Error(), "body exceeds 1048576 bytes") {
		t.Fatalf("got %v (class %s)", fe, fe.Class)
	}
	// Everything allocated meanwhile, server and gzip state included, stays far below 2 GiB.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Errorf("allocated %d MiB while refusing a gzip bomb", alloc>>20)
	}
}

func TestFetchSlowDrip(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(200)
		fl, _ := w.(http.Flusher)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
		}
	})
	f := testFetcher(FetcherOptions{RequestTimeout: 300 * time.Millisecond})
	start := time.Now()
	fe := fetchErr(t, f, Request{URL: srv.URL})
	if fe.Class != ClassTimeout || !fe.Temporary() {
		t.Errorf("got %v (class %s)", fe, fe.Class)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("a dripping server held the fetch for %v", took)
	}
}

func TestFetchRedirects(t *testing.T) {
	var loopHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		loopHits.Add(1)
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/mid", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/mid", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusPermanentRedirect)
	})
	mux.HandleFunc("/old-then-temp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/temp", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/temp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusFound)
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, smallRSS) })
	srv := serve(t, mux.ServeHTTP)
	f := testFetcher(FetcherOptions{})

	fe := fetchErr(t, f, Request{URL: srv.URL + "/loop"})
	if fe.Class != ClassRedirects || fe.Temporary() || !strings.Contains(fe.Error(), "stopped after 5 redirects") {
		t.Errorf("loop: got %v (class %s)", fe, fe.Class)
	}
	if n := loopHits.Load(); n != 6 {
		t.Errorf("loop: %d requests, want 6 (the first and 5 redirects)", n)
	}

	tests := []struct{ path, newURL string }{
		{"/old", srv.URL + "/feed"},
		{"/old-then-temp", srv.URL + "/temp"},
		{"/temp", ""},
		{"/feed", ""},
	}
	for _, tt := range tests {
		resp, err := f.Fetch(t.Context(), Request{URL: srv.URL + tt.path})
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		if resp.NewURL != tt.newURL || resp.FinalURL != srv.URL+"/feed" || resp.Status != 200 {
			t.Errorf("%s: NewURL %q FinalURL %q, want NewURL %q", tt.path, resp.NewURL, resp.FinalURL, tt.newURL)
		}
	}

	noRedirects := testFetcher(FetcherOptions{MaxRedirects: -1})
	if fe := fetchErr(t, noRedirects, Request{URL: srv.URL + "/temp"}); fe.Class != ClassRedirects {
		t.Errorf("MaxRedirects -1: got %v", fe)
	}
}

func TestFetchStatusErrors(t *testing.T) {
	now := time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		class      string
		wantRetry  time.Duration
		temporary  bool
	}{
		{"500", 500, "", ClassHTTP5xx, 0, true},
		{"502 ignores retry-after", 502, "30", ClassHTTP5xx, 0, true},
		{"503 with http-date", 503, now.Add(time.Hour).Format(http.TimeFormat), ClassHTTP5xx, time.Hour, true},
		{"429 with seconds", 429, "120", ClassRateLimited, 2 * time.Minute, true},
		{"429 with http-date", 429, now.Add(90 * time.Second).Format(http.TimeFormat), ClassRateLimited, 90 * time.Second, true},
		{"429 capped", 429, "9999999", ClassRateLimited, MaxRetryAfter, true},
		{"429 date in the past", 429, now.Add(-time.Hour).Format(http.TimeFormat), ClassRateLimited, 0, true},
		{"429 garbage", 429, "soon", ClassRateLimited, 0, true},
		{"410", 410, "", ClassGone, 0, false},
		{"404", 404, "", ClassHTTP4xx, 0, false},
		{"403", 403, "", ClassHTTP4xx, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, "error page")
			})
			f := testFetcher(FetcherOptions{})
			f.now = func() time.Time { return now }
			fe := fetchErr(t, f, Request{URL: srv.URL})
			if fe.Class != tt.class || fe.Status != tt.status || fe.RetryAfter != tt.wantRetry || fe.Temporary() != tt.temporary {
				t.Errorf("got class %s status %d retry %v temporary %v (%v)", fe.Class, fe.Status, fe.RetryAfter, fe.Temporary(), fe)
			}
		})
	}
}

func TestFetchWrongContentTypeAndBadUTF8(t *testing.T) {
	badUTF8 := "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>B</title>" +
		"<item><title>Bad \xff\xfe bytes \xc3\x28 here</title><link>https://b.example.com/1</link></item>" +
		"<item><title>Caf\xc3\xa9 ok</title><link>https://b.example.com/2</link></item></channel></rss>"
	mux := http.NewServeMux()
	mux.HandleFunc("/as-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, smallRSS)
	})
	mux.HandleFunc("/html-as-rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<!doctype html><html><body>Login required</body></html>")
	})
	mux.HandleFunc("/bad-utf8", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, badUTF8)
	})
	srv := serve(t, mux.ServeHTTP)
	f := testFetcher(FetcherOptions{})

	fetchParse := func(path string) ([]Headline, error) {
		resp, err := f.Fetch(t.Context(), Request{URL: srv.URL + path})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return Parse(resp.Body, ParseOptions{FeedURL: srv.URL + path, ContentType: resp.ContentType, Now: testNow})
	}

	hs, err := fetchParse("/as-html")
	if err != nil || len(hs) != 1 || hs[0].Title != "Hello" || hs[0].Source != "example.com" {
		t.Errorf("rss served as text/html: %v %+v", err, hs)
	}
	if _, err := fetchParse("/html-as-rss"); !errors.Is(err, ErrNotFeed) {
		t.Errorf("html served as rss: err = %v", err)
	}
	hs, err = fetchParse("/bad-utf8")
	if err != nil || len(hs) != 2 {
		t.Fatalf("bad utf-8: %v %+v", err, hs)
	}
	for _, h := range hs {
		if !utf8.ValidString(h.Title) || !strings.HasPrefix(h.Title, "Bad ") && h.Title != "Café ok" {
			t.Errorf("title %q", h.Title)
		}
	}
	if hs[1].Title != "Café ok" {
		t.Errorf("valid UTF-8 around bad bytes was mangled: %q", hs[1].Title)
	}
}

func TestFetchTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, smallRSS) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	fe := fetchErr(t, testFetcher(FetcherOptions{}), Request{URL: srv.URL})
	if fe.Class != ClassTLS || fe.Temporary() {
		t.Errorf("untrusted certificate: got %v (class %s)", fe, fe.Class)
	}

	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	trusting := testFetcher(FetcherOptions{TLSConfig: &tls.Config{RootCAs: pool}})
	if resp, err := trusting.Fetch(t.Context(), Request{URL: srv.URL}); err != nil || resp.Status != 200 {
		t.Errorf("trusted certificate: %v", err)
	}
}

func TestFetchConnectionAndInvalid(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	closedURL := srv.URL
	srv.Close()
	f := testFetcher(FetcherOptions{})
	if fe := fetchErr(t, f, Request{URL: closedURL}); fe.Class != ClassConnection || !fe.Temporary() {
		t.Errorf("refused: got %v (class %s)", fe, fe.Class)
	}
	for _, u := range []string{"ftp://example.com/feed", "not a url", "http://", "file:///etc/passwd", "%zz"} {
		if fe := fetchErr(t, f, Request{URL: u}); fe.Class != ClassInvalid {
			t.Errorf("%q: got %v (class %s)", u, fe, fe.Class)
		}
	}
}

func TestFetchRedactsCredentials(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	u := strings.Replace(srv.URL, "http://", "http://alice:hunter2@", 1) + "/feed?token=s3cr3t&x=1"
	fe := fetchErr(t, testFetcher(FetcherOptions{}), Request{URL: u})
	msg := fe.Error()
	for _, secret := range []string{"alice", "hunter2", "s3cr3t"} {
		if strings.Contains(msg, secret) || strings.Contains(fe.URL, secret) {
			t.Errorf("error leaks %q: %s", secret, msg)
		}
	}
	if !strings.Contains(msg, "x=1") {
		t.Errorf("error lost the harmless query: %s", msg)
	}

	// Transport errors too: connection refused on a URL with credentials.
	closed := httptest.NewServer(http.NotFoundHandler())
	cu := strings.Replace(closed.URL, "http://", "http://bob:pa55@", 1)
	closed.Close()
	fe = fetchErr(t, testFetcher(FetcherOptions{}), Request{URL: cu})
	if strings.Contains(fe.Error(), "pa55") || strings.Contains(fe.Error(), "bob") {
		t.Errorf("transport error leaks credentials: %s", fe)
	}
}

// concurrencyProbe is a handler that records how many requests it serves at once. Each request
// announces itself on arrived and then waits for a token on release.
type concurrencyProbe struct {
	inflight, peak atomic.Int32
	arrived        chan struct{}
	release        chan struct{}
}

func newConcurrencyProbe() *concurrencyProbe {
	return &concurrencyProbe{arrived: make(chan struct{}, 100), release: make(chan struct{})}
}

func (p *concurrencyProbe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.inflight.Add(1)
	for {
		old := p.peak.Load()
		if n <= old || p.peak.CompareAndSwap(old, n) {
			break
		}
	}
	p.arrived <- struct{}{}
	select {
	case <-p.release:
	case <-r.Context().Done():
	}
	p.inflight.Add(-1)
	fmt.Fprint(w, smallRSS)
}

// runConcurrent starts n fetches of the given URLs (round robin), lets them through the probe
// one token at a time once `limit` of them are inside, and waits for all to finish.
func runConcurrent(t *testing.T, f *Fetcher, probe *concurrencyProbe, urls []string, n, limit int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if _, err := f.Fetch(t.Context(), Request{URL: urls[i%len(urls)]}); err != nil {
				errs <- err
			}
		})
	}
	// Wait until the limit is reached, then admit the rest one at a time: each release lets
	// exactly one more request in, so the server never sees more than `limit` if the limiter works.
	for range limit {
		<-probe.arrived
	}
	for i := range n {
		probe.release <- struct{}{}
		if i+limit < n {
			<-probe.arrived
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFetchPerHostLimit(t *testing.T) {
	probe := newConcurrencyProbe()
	srv := serve(t, probe.ServeHTTP)
	f := testFetcher(FetcherOptions{PerHostLimit: 2, GlobalLimit: 10})
	runConcurrent(t, f, probe, []string{srv.URL + "/a", srv.URL + "/b"}, 8, 2)
	if peak := probe.peak.Load(); peak != 2 {
		t.Errorf("peak concurrency per host = %d, want 2", peak)
	}
}

func TestFetchGlobalLimit(t *testing.T) {
	probe := newConcurrencyProbe()
	srv1, srv2 := serve(t, probe.ServeHTTP), serve(t, probe.ServeHTTP) // two hosts (ports)
	f := testFetcher(FetcherOptions{PerHostLimit: 3, GlobalLimit: 3})
	runConcurrent(t, f, probe, []string{srv1.URL, srv2.URL}, 9, 3)
	if peak := probe.peak.Load(); peak != 3 {
		t.Errorf("peak concurrency overall = %d, want 3", peak)
	}
}

func TestFetchCanceledWhileWaiting(t *testing.T) {
	probe := newConcurrencyProbe()
	srv := serve(t, probe.ServeHTTP)
	f := testFetcher(FetcherOptions{PerHostLimit: 1})
	done := make(chan error, 1)
	go func() {
		_, err := f.Fetch(t.Context(), Request{URL: srv.URL})
		done <- err
	}()
	<-probe.arrived // the only slot is taken

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := f.Fetch(ctx, Request{URL: srv.URL})
	var fe *FetchError
	if !errors.As(err, &fe) || fe.Class != ClassCanceled || !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
	probe.release <- struct{}{}
	if err := <-done; err != nil {
		t.Error(err)
	}
}

func TestFetchPerHostInterval(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, smallRSS) })
	const interval = 40 * time.Millisecond
	f := testFetcher(FetcherOptions{PerHostInterval: interval})
	start := time.Now()
	for range 3 {
		if _, err := f.Fetch(t.Context(), Request{URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 2*interval {
		t.Errorf("3 requests took %v, want at least %v", took, 2*interval)
	}
}

func TestClassifyTransport(t *testing.T) {
	bg := context.Background()
	canceled, cancel := context.WithCancel(bg)
	cancel()
	tests := []struct {
		name   string
		parent context.Context
		err    error
		want   string
	}{
		{"dns", bg, &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}}, ClassDNS},
		{"dns timeout", bg, &net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}, ClassTimeout},
		{"deadline", bg, fmt.Errorf("read: %w", context.DeadlineExceeded), ClassTimeout},
		{"canceled by caller", canceled, context.Canceled, ClassCanceled},
		{"tls", bg, x509.UnknownAuthorityError{}, ClassTLS},
		{"tls alert", bg, fmt.Errorf("remote error: %w", tls.AlertError(40)), ClassTLS},
		{"redirects", bg, fmt.Errorf("get: %w", &errTooManyRedirects{max: 5}), ClassRedirects},
		{"reset", bg, &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, ClassConnection},
	}
	for _, tt := range tests {
		if got := classifyTransport(tt.parent, tt.err); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestParseMaxAge(t *testing.T) {
	tests := []struct {
		in   []string
		want time.Duration
	}{
		{nil, 0},
		{[]string{"max-age=60"}, time.Minute},
		{[]string{"public", "MAX-AGE = \"120\""}, 2 * time.Minute},
		{[]string{"max-age=60, no-cache"}, 0},
		{[]string{"max-age=abc"}, 0},
		{[]string{"max-age=99999999999"}, 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := parseMaxAge(tt.in); got != tt.want {
			t.Errorf("parseMaxAge(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, smallRSS) })
	f := testFetcher(FetcherOptions{})
	hs, err := Load(t.Context(), f, srv.URL+"/rss", testNow)
	if err != nil || len(hs) != 1 || hs[0].Title != "Hello" {
		t.Fatalf("url: %v %+v", err, hs)
	}

	dir := t.TempDir()
	feedPath := filepath.Join(dir, "feed.xml")
	jsonlPath := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(feedPath, []byte(smallRSS), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jsonlPath, []byte(`{"id":"a1","source":"reuters.com","title":"T","summary":"","link":"","published":""}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hs, err = Load(t.Context(), nil, feedPath, testNow)
	if err != nil || len(hs) != 1 || hs[0].Source != "example.com" || hs[0].Feed != "" {
		t.Errorf("file: %v %+v", err, hs)
	}
	hs, err = Load(t.Context(), nil, "file://"+jsonlPath, testNow)
	if err != nil || len(hs) != 1 || hs[0].ID != "a1" || !hs[0].Published.Equal(testNow) || !hs[0].DateMissing {
		t.Errorf("jsonl: %v %+v", err, hs)
	}
	if _, err := Load(t.Context(), nil, filepath.Join(dir, "missing.xml"), testNow); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load(t.Context(), f, srv.URL+"/x", time.Time{}); err != nil {
		t.Errorf("zero now: %v", err)
	}
}
