package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catalyst-monitor/catalyst/internal/testpeer"
)

const seedPath = "../../configs/catalyst.yaml"

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestClassifyPrintsOneLinePerHeadlineInOrder(t *testing.T) {
	in := writeFile(t, "in.jsonl", strings.Join([]string{
		`{"id":"a","source":"reuters.com","title":"Walt Disney Co files suit against ByteDance over Seedance clips","published":"2026-11-18T14:00:00Z","expect":{"x":"y"}}`,
		`{"id":"b","source":"example.com","title":"Quarterly results beat estimates","published":"2026-11-18T14:00:00Z"}`,
		`{"id":"c","source":"cnbc.com","title":"Could Alibaba be the maker of HappyHorse-1.0?","published":"2026-11-18T14:00:00Z"}`,
	}, "\n")+"\n")
	code, out, stderr := runCLI(context.Background(), "classify", "--config", seedPath, "--input", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), out)
	}
	type line struct {
		ID      string `json:"id"`
		Signals []struct {
			Catalyst, State, Reason string
		} `json:"signals"`
	}
	var got []line
	for _, l := range lines {
		var x line
		if err := json.Unmarshal([]byte(l), &x); err != nil {
			t.Fatalf("not JSON: %q: %v", l, err)
		}
		if !strings.Contains(l, `"signals":[`) {
			t.Errorf("signals must be an array, even when empty: %s", l)
		}
		got = append(got, x)
	}
	if got[0].ID != "a" || len(got[0].Signals) != 1 || got[0].Signals[0].Catalyst != "disney-bytedance" || got[0].Signals[0].State != "filed" {
		t.Errorf("line a = %+v, want disney-bytedance filed", got[0])
	}
	if got[1].ID != "b" || len(got[1].Signals) != 0 {
		t.Errorf("line b = %+v, want no signals", got[1])
	}
	if got[2].ID != "c" || len(got[2].Signals) == 0 || got[2].Signals[0].State != "mention" || got[2].Signals[0].Reason == "" {
		t.Errorf("line c = %+v, want a mention with a reason", got[2])
	}
}

func TestClassifyReadsStandardInput(t *testing.T) {
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"classify", "--config", seedPath, "--input", "-"},
		strings.NewReader(`{"id":"x","source":"a.com","title":"Disney sues ByteDance","published":"2026-11-18T14:00:00Z"}`+"\n"),
		&stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), `"state":"filed"`) {
		t.Fatalf("exit %d, out %q, err %q", code, stdout.String(), stderr.String())
	}
}

func TestReplayPrintsTransitionsWithEvidence(t *testing.T) {
	in := writeFile(t, "timeline.jsonl", strings.Join([]string{
		// out of published order on purpose: replay sorts by published time
		`{"id":"t3","source":"nytimes.com","title":"ByteDance is sued by Disney over Seedance 2.0 video model","published":"2026-11-19T10:00:00Z"}`,
		`{"id":"t1","source":"latimes.com","title":"Will Disney sue ByteDance? Experts weigh in","published":"2026-11-18T09:00:00Z"}`,
		`{"id":"t2","source":"wsj.com","title":"Disney files lawsuit against ByteDance over Seedance","published":"2026-11-18T12:00:00Z"}`,
		`{"id":"t4","source":"apnews.com","title":"Alibaba confirms HappyHorse-1.0 is its video model","published":"2026-11-20T08:00:00Z"}`,
	}, "\n"))
	code, out, stderr := runCLI(context.Background(), "replay", "--config", seedPath, "--input", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		`{"catalyst":"disney-bytedance","from":"threatened","to":"filed","at":"2026-11-19T10:00:00Z","evidence":["t2","t3"]`,
		`{"catalyst":"happyhorse-alibaba","from":"unconfirmed","to":"confirmed","at":"2026-11-20T08:00:00Z","evidence":["t4"]`,
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d transitions, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("transition %d:\n got %s\nwant %s...", i, lines[i], want[i])
		}
	}
}

func TestExplainShowsCueNegationAndVerdict(t *testing.T) {
	code, out, stderr := runCLI(context.Background(), "explain", "--config", seedPath,
		"Judge denies Disney's request for preliminary injunction against ByteDance")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"disney-bytedance", "aliases:", "disney=disney", "bytedance=bytedance", "verdict: mention"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(context.Background(), "explain", "--config", seedPath, "Alibaba reportedly confirms it built HappyHorse-1.0")
	if code != 0 || !strings.Contains(out, `hedged by "reportedly"`) {
		t.Errorf("explain does not name the hedge (exit %d):\n%s", code, out)
	}
}

func TestHeadlinesReadsAFileAndReportsFailures(t *testing.T) {
	feed := writeFile(t, "feed.xml", confirmRSS)
	code, out, stderr := runCLI(context.Background(), "headlines", feed)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d headlines, want 2:\n%s", len(lines), out)
	}
	var h map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "source", "title", "summary", "link", "published"} {
		if _, ok := h[k]; !ok {
			t.Errorf("headline lacks %q: %s", k, lines[0])
		}
	}
	if h["source"] != "reuters.com" || h["published"] != "2026-11-14T09:00:00Z" {
		t.Errorf("source/published = %v/%v", h["source"], h["published"])
	}
	missing := filepath.Join(t.TempDir(), "missing.xml")
	code, out, stderr = runCLI(context.Background(), "headlines", feed, missing)
	if code != 1 || !strings.Contains(stderr, missing) || len(strings.Split(strings.TrimSpace(out), "\n")) != 2 {
		t.Errorf("one failed source: exit %d (want 1), stderr %q, out %q", code, stderr, out)
	}
}

func TestValidateSummaryAndSemanticErrors(t *testing.T) {
	code, out, _ := runCLI(context.Background(), "validate", "--config", seedPath)
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "3 catalysts") {
		t.Fatalf("validate seed: exit %d, out %q", code, out)
	}
	bad := writeFile(t, "bad.yaml", `feeds:
  - name: a
    url: "ftp://example.com/feed"
    schedule: "every five minutes"
catalysts:
  - id: x
    initial: open
    entities: {e: [Example]}
    about: [e]
    states:
      open: {}
      closed: {}
    transitions:
      open: [shut]
`)
	code, _, stderr := runCLI(context.Background(), "validate", "--config", bad)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{bad + ":3:10: feed \"a\": bad url", bad + ":4:15: feed \"a\": bad cron schedule",
		bad + ":14:14: catalyst x: transition to undefined state \"shut\""} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestUnknownFlagIsUsageError(t *testing.T) {
	if code, _, _ := runCLI(context.Background(), "classify", "--nope"); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if code, _, _ := runCLI(context.Background(), "explain", "--config", seedPath); code != 2 {
		t.Errorf("explain without a headline: exit %d, want 2", code)
	}
}

func TestNotifyTestSendsToTheNamedChannel(t *testing.T) {
	hook := testpeer.NewReceiver(t)
	t.Setenv("SLACK_WEBHOOK_URL", hook.URL+"/services/T/B/secret-token")
	code, out, stderr := runCLI(context.Background(), "notify", "test", "--config", seedPath, "--channel", "slack")
	if code != 0 || !strings.Contains(out, "accepted") {
		t.Fatalf("exit %d, out %q, err %q", code, out, stderr)
	}
	if reqs := hook.Requests(); len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), "Test alert from catalyst") {
		t.Fatalf("slack got %d requests", len(hook.Requests()))
	}
	hook.Respond(func(int) (int, http.Header, string) { return http.StatusNotFound, nil, "no_service" })
	code, out, stderr = runCLI(context.Background(), "notify", "test", "--config", seedPath, "--channel", "slack")
	if code != 1 || !strings.Contains(stderr, "permanent") || strings.Contains(out+stderr, "secret-token") {
		t.Errorf("a 404 webhook: exit %d, stderr %q (want exit 1, permanent, no secret)", code, stderr)
	}
	if code, _, stderr := runCLI(context.Background(), "notify", "test", "--config", seedPath, "--channel", "pager"); code != 2 || !strings.Contains(stderr, "slack") {
		t.Errorf("unknown channel: exit %d, stderr %q", code, stderr)
	}
}

func TestStatusShowsFailedDeliveriesWithTheirReason(t *testing.T) {
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(confirmRSS))
	}))
	defer feed.Close()
	hook := testpeer.NewReceiver(t)
	hook.Respond(func(int) (int, http.Header, string) { return http.StatusNotFound, nil, "no_service" })
	cfg := seedConfig(t, map[string]string{
		"$.feeds":     fmt.Sprintf("[{name: wire, url: %q}]", feed.URL),
		"$.storage":   fmt.Sprintf("{path: %q}", filepath.Join(t.TempDir(), "s.db")),
		"$.listen":    `""`,
		"$.notifiers": "{slack: {webhook_url_env: SLACK_WEBHOOK_URL}}",
	})
	t.Setenv("SLACK_WEBHOOK_URL", hook.URL+"/services/T/B/secret-token")
	if code, _, stderr := runCLI(context.Background(), "run", "--config", cfg, "--once"); code != 0 {
		t.Fatalf("run: %s", stderr)
	}
	code, out, _ := runCLI(context.Background(), "status", "--config", cfg)
	if code != 0 || !strings.Contains(out, "1 failed") || !strings.Contains(out, "failed: happyhorse-alibaba:unconfirmed>confirmed") ||
		!strings.Contains(out, "404") {
		t.Errorf("status does not show the failed delivery and why:\n%s", out)
	}
	if strings.Contains(out, "secret-token") {
		t.Errorf("status reveals the webhook URL")
	}
}

func TestUsageMistakesExitTwoAndMissingStateExitsOne(t *testing.T) {
	ctx := context.Background()
	if code, _, _ := runCLI(ctx, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(ctx, "notify", "test", "--config", seedPath); code != 2 {
		t.Errorf("missing --channel: exit %d, want 2", code)
	}
	cfg := seedConfig(t, map[string]string{"$.storage": fmt.Sprintf("{path: %q}", filepath.Join(t.TempDir(), "none.db"))})
	code, _, stderr := runCLI(ctx, "status", "--config", cfg)
	if code != 1 || !strings.Contains(stderr, "no state at") {
		t.Errorf("status without a store: exit %d (%q), want 1 and a clear message", code, stderr)
	}
}
