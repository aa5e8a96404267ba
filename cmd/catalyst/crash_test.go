package main

import (
	"context"
	"fmt"
	"math/rand/v2"
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

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildBinary compiles the catalyst binary once for the tests that run it as a child process.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "catalyst-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "catalyst")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// crashConfig watches n catalysts, each decided by one trusted headline of the feed.
func crashConfig(t *testing.T, dir, feedURL string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "listen: \"\"\nstorage: {path: %q}\n", filepath.Join(dir, "state.db"))
	fmt.Fprintf(&b, "policy: {trusted_sources: [wire.example]}\n")
	fmt.Fprintf(&b, "feeds: [{name: wire, url: %q, schedule: \"@every 1h\"}]\n", feedURL)
	b.WriteString("notifiers: {webhooks: [{name: hook, url_env: CRASH_HOOK_URL}]}\ncatalysts:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `  - id: deal%[1]d
    name: "Deal %[1]d"
    tickers: [T%[1]d]
    initial: rumoured
    entities: {a: [Acme%[1]d], b: [Bolt%[1]d]}
    about: [a, b]
    states:
      rumoured: {}
      agreed: {impact: {T%[1]d: bullish}, cues: ["agrees to merge"]}
    transitions: {rumoured: [agreed]}
`, i)
	}
	p := filepath.Join(dir, "crash.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCrashNeverLosesAnAlert kills the daemon with SIGKILL at random moments while it polls,
// commits and delivers, restarts it, and checks that the webhook receiver ends up with every
// expected alert; duplicates may only repeat an Idempotency-Key already delivered.
func TestCrashNeverLosesAnAlert(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs child processes; skipped with -short")
	}
	bin := buildBinary(t)
	const trials, catalystsPerTrial = 50, 6
	rng := rand.New(rand.NewPCG(20261125, 1))
	var totalDup, totalKills, killedPartway int
	for trial := 0; trial < trials; trial++ {
		dir := t.TempDir()
		var items strings.Builder
		for i := 0; i < catalystsPerTrial; i++ {
			fmt.Fprintf(&items, `<item><title>Acme%[1]d agrees to merge with Bolt%[1]d</title><link>https://wire.example/%[2]d/%[1]d</link><guid>t%[2]d-%[1]d</guid><pubDate>Sat, 14 Nov 2026 09:%02[1]d:00 GMT</pubDate></item>`, i, trial)
		}
		body := `<?xml version="1.0"?><rss version="2.0"><channel><title>wire</title>` + items.String() + `</channel></rss>`
		feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(body))
		}))
		hook := testpeer.NewReceiver(t)
		slow := rng.IntN(3) == 0 // sometimes the receiver is slow, widening the window
		hook.Respond(func(n int) (int, http.Header, string) {
			if slow {
				time.Sleep(time.Duration(n%3) * 20 * time.Millisecond)
			}
			return http.StatusOK, nil, "ok"
		})
		cfg := crashConfig(t, dir, feed.URL, catalystsPerTrial)
		env := append(os.Environ(), "CRASH_HOOK_URL="+hook.URL)

		for kill := 0; kill < 2; kill++ {
			cmd := exec.Command(bin, "run", "--config", cfg, "--log-level", "error")
			cmd.Env = env
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(rng.IntN(250)) * time.Millisecond) // the random moment of the crash
			before := len(hook.Requests())
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			totalKills++
			if after := len(hook.Requests()); after > before || (before > 0 && before < catalystsPerTrial) {
				killedPartway++
			}
		}
		// Recovery: one more run delivers whatever is still pending; a row interrupted by the
		// crash is due at once.
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, bin, "run", "--config", cfg, "--once", "--log-level", "error")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("trial %d: recovery run: %v\n%s", trial, err, out)
		}
		keys := map[string]int{}
		for _, r := range hook.Requests() {
			k := r.Header.Get("Idempotency-Key")
			if k == "" {
				t.Fatalf("trial %d: a delivery without Idempotency-Key", trial)
			}
			keys[k]++
		}
		if len(keys) != catalystsPerTrial {
			st, _ := exec.Command(bin, "status", "--config", cfg).CombinedOutput()
			t.Fatalf("trial %d: receiver has %d distinct alerts, want %d (lost alerts)\n%s", trial, len(keys), catalystsPerTrial, st)
		}
		for _, n := range keys {
			totalDup += n - 1
		}
		feed.Close()
	}
	t.Logf("%d trials, %d SIGKILLs (%d with the trial's alerts partly delivered), %d alerts expected and all received; %d duplicates, each with an already delivered Idempotency-Key",
		trials, totalKills, killedPartway, trials*catalystsPerTrial, totalDup)
}
