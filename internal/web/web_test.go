package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

const token = "s3cret-token"

// get sends a request to h and returns the status, the headers and the body.
func get(t *testing.T, h http.Handler, method, path string, header ...string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.String()
}

func newServer(src Source, opts ...func(*Options)) *Server {
	o := Options{Source: src, Now: func() time.Time { return now }}
	for _, f := range opts {
		f(&o)
	}
	return New(o)
}

func TestHealthz(t *testing.T) {
	for _, tok := range []string{"", token} {
		h := newServer(nil, func(o *Options) { o.Token = tok }).Handler()
		code, hdr, body := get(t, h, http.MethodGet, "/healthz")
		if code != http.StatusOK || body != "ok\n" {
			t.Errorf("token %q: /healthz = %d %q, want 200 \"ok\"", tok, code, body)
		}
		if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("/healthz content type %q", ct)
		}
	}
}

func TestReadyz(t *testing.T) {
	src := fixture()
	h := newServer(src).Handler()
	if code, _, body := get(t, h, http.MethodGet, "/readyz"); code != http.StatusOK || body != "ready\n" {
		t.Errorf("ready: /readyz = %d %q", code, body)
	}
	src.ready = errors.New("store: ping: database is locked")
	code, _, body := get(t, h, http.MethodGet, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "database is locked") {
		t.Errorf("not ready: /readyz = %d %q, want 503 with the reason", code, body)
	}
	if code, _, _ := get(t, newServer(nil).Handler(), http.MethodGet, "/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("no source: /readyz = %d, want 503", code)
	}
}

func TestAPICatalysts(t *testing.T) {
	h := newServer(fixture()).Handler()
	code, hdr, body := get(t, h, http.MethodGet, "/api/catalysts")
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("/api/catalysts = %d %s", code, hdr.Get("Content-Type"))
	}
	// The field names are an interface: check them on the raw JSON.
	var raw []map[string]any
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	if len(raw) != 3 {
		t.Fatalf("%d catalysts, want 3", len(raw))
	}
	first := raw[0]
	for k, want := range map[string]any{"id": "happyhorse-alibaba", "name": "HappyHorse-1.0 is Alibaba's",
		"state": "confirmed", "since": "2026-11-14T09:00:00Z"} {
		if first[k] != want {
			t.Errorf("catalyst[0].%s = %v, want %v", k, first[k], want)
		}
	}
	if !strings.HasPrefix(first["state_description"].(string), "Alibaba, one of its units") {
		t.Errorf("state_description = %v", first["state_description"])
	}
	ticker := first["tickers"].([]any)[0].(map[string]any)
	if ticker["symbol"] != "BABA" || ticker["impact"] != "bullish" {
		t.Errorf("tickers[0] = %v", ticker)
	}
	tr := first["history"].([]any)[0].(map[string]any)
	if tr["from"] != "unconfirmed" || tr["to"] != "confirmed" || tr["at"] != "2026-11-14T09:00:00Z" ||
		tr["rule"] != "trusted source reuters.com" {
		t.Errorf("history[0] = %v", tr)
	}
	ev := tr["evidence"].([]any)[0].(map[string]any)
	for k, want := range map[string]any{"id": "h1", "title": reutersTitle, "source": "reuters.com",
		"link": reutersLink, "published": "2026-11-14T09:00:00Z", "trusted": true} {
		if ev[k] != want {
			t.Errorf("evidence[0].%s = %v, want %v", k, ev[k], want)
		}
	}
	// A catalyst still in its initial state has no since, and empty lists rather than null.
	third := raw[2]
	if _, ok := third["since"]; ok {
		t.Errorf("initial-state catalyst has since = %v", third["since"])
	}
	if h, ok := third["history"].([]any); !ok || len(h) != 0 {
		t.Errorf("initial-state catalyst history = %#v, want []", third["history"])
	}
	// The hostile title is JSON-escaped, never raw HTML.
	if strings.Contains(body, "<script>") {
		t.Error("JSON body carries a raw <script> tag")
	}

	// And the whole thing round-trips into the view types.
	var views []CatalystView
	if err := json.Unmarshal([]byte(body), &views); err != nil {
		t.Fatal(err)
	}
	if views[1].History[0].Evidence[1].Link != apLink || !views[0].Since.Equal(time.Date(2026, 11, 14, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("round trip: %+v", views[1])
	}
}

func TestAPIFeeds(t *testing.T) {
	h := newServer(fixture()).Handler()
	code, _, body := get(t, h, http.MethodGet, "/api/feeds")
	if code != http.StatusOK {
		t.Fatalf("/api/feeds = %d", code)
	}
	var raw []map[string]any
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	if len(raw) != 4 {
		t.Fatalf("%d feeds, want 4", len(raw))
	}
	failing := raw[1]
	for k, want := range map[string]any{"name": "sec-edgar-8k", "url": longFeedURL, "status": "failing",
		"failures": 7.0, "last_poll": "2026-11-16T09:20:00Z", "last_success": "2026-11-15T07:30:00Z",
		"next_poll": "2026-11-16T10:20:00Z"} {
		if failing[k] != want {
			t.Errorf("feeds[1].%s = %v, want %v", k, failing[k], want)
		}
	}
	if !strings.Contains(failing["last_error"].(string), "503") {
		t.Errorf("last_error = %v", failing["last_error"])
	}
	never := raw[3]
	if never["status"] != "never polled" {
		t.Errorf("feeds[3].status = %v", never["status"])
	}
	for _, k := range []string{"last_poll", "last_success", "next_poll", "last_error"} {
		if _, ok := never[k]; ok {
			t.Errorf("never-polled feed has %s", k)
		}
	}

	// No feeds is an empty array, not null.
	_, _, body = get(t, newServer(&fakeSource{}).Handler(), http.MethodGet, "/api/feeds")
	if strings.TrimSpace(body) != "[]" {
		t.Errorf("no feeds: body %q, want []", body)
	}
}

func TestStatusPage(t *testing.T) {
	h := newServer(fixture()).Handler()
	code, hdr, page := get(t, h, http.MethodGet, "/")
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("/ = %d %s", code, hdr.Get("Content-Type"))
	}
	mustContain := []string{
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		// catalysts, states and since
		`HappyHorse-1.0 is Alibaba&#39;s`,
		`<span class="state">confirmed</span>`,
		`since <time datetime="2026-11-14T09:00:00Z">2026-11-14 09:00 UTC</time> (2 days ago)`,
		`Alibaba, one of its units, or the leaderboard&#39;s organisers say Alibaba made HappyHorse-1.0.`,
		`<span class="state">filed</span>`,
		`<span class="state">unreleased</span>`,
		`initial state`,
		`No change yet.`,
		// tickers with their impact
		`<li class="ticker bullish"><span class="arrow" aria-hidden="true">▲</span> <span class="symbol">BABA</span> <span class="impact">bullish</span></li>`,
		`<span class="symbol">9988.HK</span>`,
		`<li class="ticker bearish"><span class="arrow" aria-hidden="true">▼</span> <span class="symbol">DIS</span>`,
		`<li class="ticker neutral"><span class="arrow" aria-hidden="true">■</span> <span class="symbol">BABA</span> <span class="impact">neutral</span>`,
		// the timeline with evidence links, titles, sources and published times
		`<span class="from">unconfirmed</span> → <span class="to">confirmed</span>`,
		`trusted source reuters.com`,
		`<a class="headline" href="` + reutersLink + `" rel="noopener noreferrer nofollow" target="_blank">` + reutersTitle + `</a>`,
		`<span class="source">reuters.com</span> <span class="trusted">trusted</span> · published <time datetime="2026-11-14T09:00:00Z">2026-11-14 09:00 UTC</time>`,
		`href="` + courtLink + `"`,
		`href="` + apLink + `"`,
		`Disney sues ByteDance over Seedance 2.0 &amp; its &#39;copies&#39; of Marvel characters`,
		// the hostile title shown as text, and its javascript: link not linked at all
		`<span class="headline">&lt;script&gt;alert(1)&lt;/script&gt;</span>`,
		// feeds and their health; the failing and dead ones stand out
		`<li class="card feed ok" data-feed="reuters-tech">`,
		`<li class="card feed failing" data-feed="sec-edgar-8k">`,
		`<span class="badge">failing</span>`,
		`<li class="card feed dead" data-feed="old-blog">`,
		`<li class="card feed never" data-feed="new-feed">`,
		`<span class="badge">never polled</span>`,
		`http_5xx: 503 Service Unavailable`,
		`<dd>7 in a row</dd>`,
		`2 feeds are failing or gone.`,
		`⚠ 2 feeds down`,
		`(in 50 min)`,
	}
	for _, s := range mustContain {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %s", s)
		}
	}
	for _, s := range []string{"<script", "javascript:", "alert(2)"} {
		if strings.Contains(page, s) {
			t.Errorf("page contains %q", s)
		}
	}
	// No script may run even if something slipped through, and the page may not be framed.
	csp := hdr.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if hdr.Get("X-Content-Type-Options") != "nosniff" || hdr.Get("Cache-Control") != "no-store" {
		t.Errorf("security headers missing: %v", hdr)
	}
	// The catalysts come before the feeds, in the source's order.
	iAlibaba, iDisney, iFeeds := strings.Index(page, `id="catalyst-happyhorse-alibaba"`),
		strings.Index(page, `id="catalyst-disney-bytedance"`), strings.Index(page, `id="feeds"`)
	if iAlibaba < 0 || iAlibaba > iDisney || iDisney > iFeeds {
		t.Errorf("page order: alibaba %d, disney %d, feeds %d", iAlibaba, iDisney, iFeeds)
	}
}

func TestStatusPageWithNothing(t *testing.T) {
	code, _, page := get(t, newServer(&fakeSource{}).Handler(), http.MethodGet, "/")
	if code != http.StatusOK {
		t.Fatalf("/ = %d", code)
	}
	for _, s := range []string{"No catalysts are configured.", "No feeds are configured.", "Feeds (0)"} {
		if !strings.Contains(page, s) {
			t.Errorf("empty page lacks %q", s)
		}
	}
	if strings.Contains(page, "down</a>") || strings.Contains(page, `class="banner"`) {
		t.Error("empty page reports unhealthy feeds")
	}
}

func TestSourceErrors(t *testing.T) {
	src := fixture()
	src.err = errStore
	h := newServer(src).Handler()
	for _, path := range []string{"/", "/api/catalysts", "/api/feeds"} {
		code, _, body := get(t, h, http.MethodGet, path)
		if code != http.StatusServiceUnavailable {
			t.Errorf("%s with a failing source = %d, want 503", path, code)
		}
		if strings.Contains(body, "/var/lib") {
			t.Errorf("%s leaks the store error: %q", path, body)
		}
	}
	if code, _, _ := get(t, newServer(nil).Handler(), http.MethodGet, "/"); code != http.StatusServiceUnavailable {
		t.Errorf("/ without a source = %d, want 503", code)
	}
}

func TestToken(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := newServer(fixture(), func(o *Options) { o.Token = token; o.Gatherer = reg }).Handler()
	basic := func(user, pass string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	for _, path := range []string{"/", "/readyz", "/metrics", "/api/catalysts", "/api/feeds"} {
		code, hdr, body := get(t, h, http.MethodGet, path)
		if code != http.StatusUnauthorized {
			t.Errorf("%s without token = %d, want 401", path, code)
		}
		if strings.Contains(body, "HappyHorse") {
			t.Errorf("%s without token leaks data", path)
		}
		if auth := hdr.Values("WWW-Authenticate"); len(auth) != 2 {
			t.Errorf("%s: WWW-Authenticate %v, want Bearer and Basic", path, auth)
		}
		for _, bad := range []string{"Bearer wrong", "Bearer " + token + "x", "Bearer", "Token " + token,
			basic("admin", "wrong"), "Basic !!!", "Bearer " + strings.ToUpper(token)} {
			if code, _, _ := get(t, h, http.MethodGet, path, "Authorization", bad); code != http.StatusUnauthorized {
				t.Errorf("%s with %q = %d, want 401", path, bad, code)
			}
		}
		for _, good := range []string{"Bearer " + token, "bearer " + token, basic("", token), basic("me", token)} {
			if code, _, _ := get(t, h, http.MethodGet, path, "Authorization", good); code != http.StatusOK {
				t.Errorf("%s with %q = %d, want 200", path, good, code)
			}
		}
	}
	if code, _, _ := get(t, h, http.MethodGet, "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz without token = %d, want 200", code)
	}
	// Without a configured token nothing is required.
	if code, _, _ := get(t, newServer(fixture()).Handler(), http.MethodGet, "/api/feeds"); code != http.StatusOK {
		t.Errorf("no token configured: /api/feeds = %d", code)
	}
}

func TestMethodsAndUnknownPaths(t *testing.T) {
	h := newServer(fixture(), func(o *Options) { o.Gatherer = prometheus.NewRegistry() }).Handler()
	paths := []string{"/", "/healthz", "/readyz", "/metrics", "/api/catalysts", "/api/feeds"}
	for _, path := range paths {
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
			code, hdr, _ := get(t, h, m, path)
			if code != http.StatusMethodNotAllowed {
				t.Errorf("%s %s = %d, want 405", m, path, code)
			}
			if allow := hdr.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "HEAD") {
				t.Errorf("%s %s: Allow %q", m, path, allow)
			}
		}
	}
	// HEAD over a real connection: the server sends the headers and no body.
	ts := httptest.NewServer(h)
	defer ts.Close()
	for _, path := range paths {
		resp, err := http.Head(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body) != 0 || resp.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s = %d with %d bytes, type %q; want 200, no body, a type", path, resp.StatusCode, len(body), resp.Header.Get("Content-Type"))
		}
	}
	for _, path := range []string{"/nope", "/index.html", "/api", "/api/", "/api/catalysts/x", "/healthz/x", "/metricsx"} {
		if code, _, _ := get(t, h, http.MethodGet, path); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, code)
		}
	}
}

func TestMetricsEndpoint(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_feed_polls_total", Help: "polls"}, []string{"feed", "result"})
	reg.MustRegister(c)
	c.WithLabelValues("reuters", "200").Add(3)
	h := newServer(fixture(), func(o *Options) { o.Gatherer = reg }).Handler()
	code, _, body := get(t, h, http.MethodGet, "/metrics")
	if code != http.StatusOK || !strings.Contains(body, `catalyst_feed_polls_total{feed="reuters",result="200"} 3`) {
		t.Errorf("/metrics = %d\n%s", code, body)
	}
	if code, _, _ := get(t, newServer(fixture()).Handler(), http.MethodGet, "/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics without a gatherer = %d, want 404", code)
	}
}

func TestRelative(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second: "just now", -10 * time.Second: "just now",
		5 * time.Minute: "5 min ago", -5 * time.Minute: "in 5 min",
		3 * time.Hour: "3 h ago", 47 * time.Hour: "47 h ago", 72 * time.Hour: "3 days ago",
	} {
		if got := relative(d); got != want {
			t.Errorf("relative(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSafeLink(t *testing.T) {
	for in, want := range map[string]string{
		reutersLink:                 "https://reuters.com/a0dcde8045",
		" http://ap.org/x?a=1&b=2 ": "http://ap.org/x?a=1&b=2",
		"javascript:alert(1)":       "",
		"data:text/html,hi":         "",
		"//evil.example/x":          "",
		"/relative":                 "",
		"":                          "",
	} {
		if got := safeLink(in); got != want {
			t.Errorf("safeLink(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestListenAndServeAddressTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// A taken address fails at once: the call returns although ctx is still live.
	err = newServer(fixture()).ListenAndServe(ctx, ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("ListenAndServe on a taken address = %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("ListenAndServe waited for the context instead of failing at once")
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	src := fixture()
	src.entered, src.block = make(chan struct{}), make(chan struct{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- newServer(src).Serve(ctx, ln) }()

	base := "http://" + ln.Addr().String()
	if code := httpGet(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz over TCP = %d", code)
	}

	// A request in flight when ctx ends is finished, not cut off.
	inflight := make(chan int, 1)
	go func() { inflight <- httpGet(t, base+"/api/catalysts") }()
	<-src.entered
	cancel()
	close(src.block)
	if code := <-inflight; code != http.StatusOK {
		t.Errorf("request in flight during shutdown = %d, want 200", code)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	// The listener is closed: new connections are refused.
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Error("listener still accepts connections after shutdown")
	}
}

// httpGet fetches url and returns the status code (0 on a transport error, which it reports).
func httpGet(t *testing.T, url string) int {
	resp, err := http.Get(url)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return 0
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}
