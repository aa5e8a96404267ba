package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/internal/shared"
)

// TestReplayDevTimeline runs `catalyst replay` on the shared development timeline and expects
// exactly its labelled transitions, each at its time (as ../shared/eval/score.py timeline does).
func TestReplayDevTimeline(t *testing.T) {
	dir := shared.Dir(t, "eval")
	code, out, stderr := runCLI(context.Background(), "replay", "--config", seedPath,
		"--input", filepath.Join(dir, "dev-timeline.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type tr struct {
		Catalyst, From, To string
		At                 time.Time
	}
	parse := func(text string) []tr {
		var out []tr
		sc := bufio.NewScanner(strings.NewReader(text))
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var x tr
			if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
				t.Fatalf("not JSON: %q", sc.Text())
			}
			out = append(out, x)
		}
		return out
	}
	want, err := os.ReadFile(filepath.Join(dir, "dev-timeline.expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	got, exp := parse(out), parse(string(want))
	if len(got) != len(exp) {
		t.Fatalf("got %d transitions, want %d:\n%s", len(got), len(exp), out)
	}
	for i := range exp {
		if got[i].Catalyst != exp[i].Catalyst || got[i].From != exp[i].From || got[i].To != exp[i].To ||
			!got[i].At.Truncate(time.Minute).Equal(exp[i].At.Truncate(time.Minute)) {
			t.Errorf("transition %d = %+v, want %+v", i, got[i], exp[i])
		}
	}
}
