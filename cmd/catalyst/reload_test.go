package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/internal/testpeer"
)

// logWatcher collects a child's log lines and lets a test wait for one.
type logWatcher struct {
	mu    sync.Mutex
	lines []string
	cond  *sync.Cond
}

func watchLogs(r io.Reader) *logWatcher {
	w := &logWatcher{}
	w.cond = sync.NewCond(&w.mu)
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			w.cond.Broadcast()
			w.mu.Unlock()
		}
	}()
	return w
}

// waitFor waits until the n-th log line containing substr appears, or fails after 20s.
func (w *logWatcher) waitFor(t *testing.T, substr string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	timer := time.AfterFunc(20*time.Second, func() { w.mu.Lock(); w.cond.Broadcast(); w.mu.Unlock() })
	defer timer.Stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		count := 0
		for _, l := range w.lines {
			if strings.Contains(l, substr) {
				count++
			}
		}
		if count >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %d log lines with %q within 20s; log:\n%s", n, substr, strings.Join(w.lines, "\n"))
		}
		w.cond.Wait()
	}
}

func reloadConfig(dir, feedURL string, ids ...int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "listen: \"\"\nstorage: {path: %q}\npolicy: {trusted_sources: [wire.example]}\n", filepath.Join(dir, "state.db"))
	fmt.Fprintf(&b, "feeds: [{name: wire, url: %q, schedule: \"@every 1s\"}]\n", feedURL)
	b.WriteString("notifiers: {webhooks: [{name: hook, url_env: RELOAD_HOOK_URL}]}\ncatalysts:\n")
	for _, i := range ids {
		fmt.Fprintf(&b, `  - id: deal%[1]d
    name: "Deal %[1]d"
    tickers: [T%[1]d]
    initial: rumoured
    entities: {a: [Acme%[1]d], b: [Bolt%[1]d]}
    about: [a, b]
    states: {rumoured: {}, agreed: {cues: ["agrees to merge"]}, off: {cues: ["calls off"]}}
    transitions: {rumoured: [agreed], agreed: [off]}
`, i)
	}
	return b.String()
}

func TestReloadOnSIGHUPKeepsStateAndRejectsBadConfig(t *testing.T) {
	bin := buildBinary(t)
	var mu sync.Mutex
	items := []string{"Acme0 agrees to merge with Bolt0", "Acme1 agrees to merge with Bolt1"}
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>w</title>`)
		for i, title := range items {
			fmt.Fprintf(w, `<item><title>%s</title><link>https://wire.example/%d</link><guid>g%d</guid><pubDate>Sat, 14 Nov 2026 09:%02d:00 GMT</pubDate></item>`, title, i, i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	defer feed.Close()
	hook := testpeer.NewReceiver(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "c.yaml")
	write := func(text string) {
		if err := os.WriteFile(cfgPath, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(reloadConfig(dir, feed.URL, 0, 1))

	cmd := exec.Command(bin, "run", "--config", cfgPath, "--log-level", "info")
	cmd.Env = append(os.Environ(), "RELOAD_HOOK_URL="+hook.URL)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	logs := watchLogs(stderr)
	keys := func() map[string]int {
		m := map[string]int{}
		for _, r := range hook.Requests() {
			m[r.Header.Get("Idempotency-Key")]++
		}
		return m
	}
	waitKeys := func(want ...string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			k := keys()
			ok := len(k) == len(want)
			for _, w := range want {
				ok = ok && k[w] == 1
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("webhook keys = %v, want exactly one each of %v", k, want)
			}
			time.Sleep(20 * time.Millisecond) // polling with a deadline
		}
	}
	key := func(i int) string { return fmt.Sprintf("deal%d:rumoured>agreed@2026-11-14T09:%02d:00Z", i, i) }
	waitKeys(key(0), key(1))

	// Remove deal1, add deal2, and a new item for deal2 appears.
	write(reloadConfig(dir, feed.URL+"/v2", 0, 2))
	mu.Lock()
	items = append(items, "Acme2 agrees to merge with Bolt2")
	mu.Unlock()
	cmd.Process.Signal(syscall.SIGHUP)
	logs.waitFor(t, "configuration reloaded", 1)
	waitKeys(key(0), key(1), key(2))

	// A broken configuration is refused and the running one keeps working.
	write("catalysts: [{id: broken, initial: nowhere}]\nfeedz: []\n")
	cmd.Process.Signal(syscall.SIGHUP)
	logs.waitFor(t, "reload rejected", 1)
	mu.Lock()
	items = append(items, "Acme2 calls off merger with Bolt2") // only the running config knows deal2
	mu.Unlock()
	waitKeys(key(0), key(1), key(2), "deal2:agreed>off@2026-11-14T09:03:00Z")
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("daemon exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("daemon did not exit within 10s of SIGTERM")
	}
}
