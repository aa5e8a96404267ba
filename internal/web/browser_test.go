package web

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium or Chrome binary — $CATALYST_CHROMIUM when set, else
// /usr/bin/chromium (Debian's package), else one on PATH — or skips the test when there is none,
// unless CATALYST_REQUIRE_BROWSER=1 (CI), in which case it fails.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	if p := os.Getenv("CATALYST_CHROMIUM"); p != "" {
		candidates = []string{p}
	}
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CATALYST_REQUIRE_BROWSER") == "1" {
		t.Fatal("CATALYST_REQUIRE_BROWSER=1 but no Chromium binary was found (install it: apt-get install -y chromium)")
	}
	t.Skip("skipping the browser test: no Chromium binary found (apt-get install -y chromium; set CATALYST_REQUIRE_BROWSER=1 to make this a failure)")
	return ""
}

// TestStatusPageOnAPhone loads the status page in headless Chromium with an iPhone-sized
// viewport (390×844) and checks what a person sees there.
func TestStatusPageOnAPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the browser test in -short mode")
	}
	execPath := chromium(t)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, stopServer := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- newServer(fixture()).Serve(srvCtx, ln) }()
	t.Cleanup(func() {
		stopServer()
		if err := <-served; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	url := "http://" + ln.Addr().String() + "/"

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "chromium")),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	defer cancelBrowser()

	start := time.Now()
	if err := chromedp.Do(bctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#catalyst-happyhorse-alibaba .state`)),
	); err != nil {
		t.Fatalf("load %s in Chromium: %v", url, err)
	}

	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	eval := func(expr string, out any) {
		t.Helper()
		raw, err := chromedp.Run(bctx, chromedp.Evaluate[[]byte](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		if err := jsonUnmarshal(raw, out); err != nil {
			t.Fatalf("decode result of %s: %v (%s)", expr, err, raw)
		}
	}

	// The catalysts' names, states and since, as a person reads them.
	for sel, want := range map[string]string{
		`#catalyst-happyhorse-alibaba .name`:  "HappyHorse-1.0 is Alibaba's",
		`#catalyst-happyhorse-alibaba .state`: "confirmed",
		`#catalyst-disney-bytedance .name`:    "Disney v. ByteDance over Seedance 2.0",
		`#catalyst-disney-bytedance .state`:   "filed",
		`#catalyst-happyhorse-launch .state`:  "unreleased",
	} {
		if got := text(sel); got != want {
			t.Errorf("visible text of %s = %q, want %q", sel, got, want)
		}
	}
	if got := text(`#catalyst-happyhorse-alibaba .since`); !strings.HasPrefix(got, "since 2026-11-14 09:00 UTC") {
		t.Errorf("since text = %q", got)
	}
	if got := text(`#catalyst-happyhorse-alibaba .ticker`); got != "▲ BABA bullish" {
		t.Errorf("first ticker reads %q, want %q", got, "▲ BABA bullish")
	}
	if got := text(`#catalyst-disney-bytedance .ticker`); got != "▼ DIS bearish" {
		t.Errorf("DIS ticker reads %q", got)
	}

	// Ticker colours: bullish green, bearish red, neutral grey (distinct from each other).
	var colours map[string]string
	eval(`(() => { const c = s => getComputedStyle(document.querySelector(s)).color;
		return {bull: c('.ticker.bullish'), bear: c('.ticker.bearish'), neutral: c('.ticker.neutral')}; })()`, &colours)
	if colours["bull"] == colours["bear"] || colours["bull"] == colours["neutral"] || colours["bear"] == colours["neutral"] {
		t.Errorf("impact colours not distinct: %v", colours)
	}
	if !greenish(colours["bull"]) || !reddish(colours["bear"]) {
		t.Errorf("bullish %s should be green and bearish %s red", colours["bull"], colours["bear"])
	}

	// Evidence links: the hrefs of the headlines, and their titles as visible text.
	var links []struct{ Href, Text string }
	eval(`Array.from(document.querySelectorAll('a.headline')).map(a => ({href: a.href, text: a.innerText}))`, &links)
	wantLinks := map[string]string{reutersLink: reutersTitle, courtLink: courtTitle, apLink: apTitle}
	if len(links) != len(wantLinks) {
		t.Errorf("%d evidence links, want %d: %v", len(links), len(wantLinks), links)
	}
	for _, l := range links {
		if want, ok := wantLinks[l.Href]; !ok || strings.TrimSpace(l.Text) != want {
			t.Errorf("evidence link %q reads %q", l.Href, l.Text)
		}
	}
	// The hostile headline reads as the literal text, no script element exists and none ran.
	if got := text(`#catalyst-happyhorse-alibaba .evidence li:nth-child(2) .headline`); got != hostileTitle {
		t.Errorf("hostile headline reads %q, want the literal %q", got, hostileTitle)
	}
	var scripts int
	eval(`document.scripts.length`, &scripts)
	if scripts != 0 {
		t.Errorf("%d script elements on the page", scripts)
	}

	// Phone layout: nothing wider than the viewport, one column, large tap targets.
	var layout struct {
		Inner, Scroll, BodyScroll int
		Lefts                     []float64
		Widths                    []float64
		Taps                      []float64
		Font                      float64
	}
	eval(`(() => {
		const cards = Array.from(document.querySelectorAll('#catalysts .card'));
		const taps = Array.from(document.querySelectorAll('nav a, a.headline'));
		return {
			inner: window.innerWidth,
			scroll: document.documentElement.scrollWidth,
			bodyScroll: document.body.scrollWidth,
			lefts: cards.map(c => c.getBoundingClientRect().left),
			widths: cards.map(c => c.getBoundingClientRect().width),
			taps: taps.map(a => a.getBoundingClientRect().height),
			font: parseFloat(getComputedStyle(document.body).fontSize),
		};
	})()`, &layout)
	if layout.Inner != 390 {
		t.Errorf("viewport width %d, want 390 (emulation failed)", layout.Inner)
	}
	if layout.Scroll > 390 || layout.BodyScroll > 390 {
		t.Errorf("page is wider than the phone: scrollWidth %d (body %d) > 390", layout.Scroll, layout.BodyScroll)
	}
	if len(layout.Lefts) != 3 {
		t.Fatalf("%d catalyst cards laid out, want 3", len(layout.Lefts))
	}
	for i := range layout.Lefts {
		if layout.Lefts[i] != layout.Lefts[0] || layout.Widths[i] < 300 {
			t.Errorf("card %d at left %v width %v: want one full-width column (left %v)", i, layout.Lefts[i], layout.Widths[i], layout.Lefts[0])
		}
	}
	for i, h := range layout.Taps {
		if h < 44 {
			t.Errorf("tap target %d is %vpx high, want at least 44", i, h)
		}
	}
	if layout.Font < 16 {
		t.Errorf("body font %vpx, want at least 16 on a phone", layout.Font)
	}

	// The failing feed stands out: its card is tinted and its badge is filled.
	var feeds map[string]string
	eval(`(() => { const bg = s => getComputedStyle(document.querySelector(s)).backgroundColor;
		return {ok: bg('.feed.ok'), failing: bg('.feed.failing'), badge: bg('.feed.failing .badge'), okBadge: bg('.feed.ok .badge')}; })()`, &feeds)
	if feeds["ok"] == feeds["failing"] || feeds["badge"] == feeds["okBadge"] {
		t.Errorf("a failing feed looks like a healthy one: %v", feeds)
	}
	if got := text(`.feed.failing .badge`); got != "failing" {
		t.Errorf("failing badge reads %q", got)
	}
	if got := text(`nav a.alert`); got != "⚠ 2 feeds down" {
		t.Errorf("navigation alert reads %q", got)
	}

	if dir := os.Getenv("CATALYST_SCREENSHOT_DIR"); dir != "" {
		saveScreenshots(bctx, t, dir, "phone")
	}

	// On a desktop the catalysts take two columns, and the page still fits.
	if err := chromedp.Do(bctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#catalyst-happyhorse-alibaba .state`)),
	); err != nil {
		t.Fatalf("reload at desktop size: %v", err)
	}
	var desktop struct {
		Scroll int
		Lefts  []float64
	}
	eval(`({scroll: document.documentElement.scrollWidth,
		lefts: Array.from(document.querySelectorAll('#catalysts .card')).map(c => c.getBoundingClientRect().left)})`, &desktop)
	if desktop.Scroll > 1280 || len(desktop.Lefts) != 3 || desktop.Lefts[0] == desktop.Lefts[1] {
		t.Errorf("desktop layout: scrollWidth %d, card lefts %v; want two columns within 1280", desktop.Scroll, desktop.Lefts)
	}
	if dir := os.Getenv("CATALYST_SCREENSHOT_DIR"); dir != "" {
		saveScreenshots(bctx, t, dir, "desktop")
	}
	t.Logf("browser checks took %v", time.Since(start).Round(time.Millisecond))
}

// saveScreenshots writes what the screen shows first and the whole page as PNG files into dir
// (set CATALYST_SCREENSHOT_DIR to look at the page).
func saveScreenshots(ctx context.Context, t *testing.T, dir, name string) {
	t.Helper()
	for file, shot := range map[string]chromedp.Action[[]byte]{
		"status-" + name + "-screen.png": chromedp.CaptureScreenshot(),
		"status-" + name + "-full.png":   chromedp.FullScreenshot(100),
	} {
		png, err := chromedp.Run(ctx, shot)
		if err != nil {
			t.Fatalf("screenshot %s: %v", file, err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
			t.Fatalf("save screenshot: %v", err)
		}
	}
}

func jsonUnmarshal(raw []byte, out any) error { return json.Unmarshal(raw, out) }

// rgb parses a computed colour "rgb(r, g, b)" or "rgba(r, g, b, a)".
func rgb(c string) (r, g, b int, ok bool) {
	c = strings.TrimPrefix(strings.TrimPrefix(c, "rgba("), "rgb(")
	parts := strings.Split(strings.TrimSuffix(c, ")"), ",")
	if len(parts) < 3 {
		return 0, 0, 0, false
	}
	var v [3]int
	for i := range v {
		n, err := strconv.Atoi(strings.TrimSpace(parts[i]))
		if err != nil {
			return 0, 0, 0, false
		}
		v[i] = n
	}
	return v[0], v[1], v[2], true
}

func greenish(c string) bool { r, g, b, ok := rgb(c); return ok && g > r+40 && g > b+40 }
func reddish(c string) bool  { r, g, b, ok := rgb(c); return ok && r > g+80 && r > b+60 }
