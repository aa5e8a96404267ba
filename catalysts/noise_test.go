package catalysts_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/catalyst-monitor/catalyst/internal/shared"
)

// labeled is one line of a ../shared/eval JSON Lines file.
type labeled struct {
	ID     string            `json:"id"`
	Source string            `json:"source"`
	Title  string            `json:"title"`
	Expect map[string]string `json:"expect"`
}

func readJSONL(tb testing.TB, name string) []labeled {
	tb.Helper()
	f, err := os.Open(filepath.Join(shared.Dir(tb, "eval"), name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []labeled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l labeled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("%s:%d: %v", name, n, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestNoise: real financial headlines about none of the seed catalysts give no decisive signal.
func TestNoise(t *testing.T) {
	_, e := seed(t)
	lines := readJSONL(t, "noise.jsonl")
	if len(lines) < 90000 {
		t.Fatalf("noise.jsonl has %d lines, want about 94,000", len(lines))
	}
	mentions := 0
	for _, l := range lines {
		for _, s := range e.Classify(l.Title) {
			if s.Decisive() {
				t.Errorf("%s: %s %s (cue %q): %s", l.ID, s.Catalyst, s.State, s.Cue, l.Title)
				continue
			}
			mentions++
		}
	}
	t.Logf("%d noise headlines: 0 decisive signals wanted, %d mentions", len(lines), mentions)
}

// TestDevScore scores the labeled development set as score.py does: a decisive signal is a true
// positive when the label has that state for that catalyst.
func TestDevScore(t *testing.T) {
	_, e := seed(t)
	lines := readJSONL(t, "dev-classify.jsonl")
	tp, fp, fn := 0, 0, 0
	for _, l := range lines {
		got := map[string]string{}
		for _, s := range e.Classify(l.Title) {
			if prev, ok := got[s.Catalyst]; !ok || prev == "mention" {
				got[s.Catalyst] = s.State
			}
		}
		cats := map[string]bool{}
		for c := range l.Expect {
			cats[c] = true
		}
		for c := range got {
			cats[c] = true
		}
		for c := range cats {
			exp, g := l.Expect[c], got[c]
			expDec := exp != "" && exp != "mention"
			gotDec := g != "" && g != "mention"
			switch {
			case expDec && g == exp:
				tp++
				continue
			case gotDec:
				fp++
			}
			if expDec {
				fn++
			}
			if expDec || gotDec {
				t.Logf("%s %s: expected %q, got %q | %s", l.ID, c, exp, g, l.Title)
			}
		}
	}
	precision, recall := 1.0, 1.0
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		recall = float64(tp) / float64(tp+fn)
	}
	t.Logf("decisive precision %.3f recall %.3f (tp %d fp %d fn %d) over %d headlines", precision, recall, tp, fp, fn, len(lines))
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.3f recall %.3f, want both >= 0.95", precision, recall)
	}
}
