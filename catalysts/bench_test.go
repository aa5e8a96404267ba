package catalysts_test

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/catalysts"
)

// Figures of the targets (see BenchmarkClassify and BenchmarkBuild):
// ≥ 3 million headlines/s per core at 1,000 catalysts; the cost at 10,000 within 2× of the
// cost at 10; a build of 10,000 catalysts in ≤ 100 ms and ≤ 20 MiB of heap.

var (
	noiseOnce   sync.Once
	noiseTitles []string
)

func noise(tb testing.TB) []string {
	tb.Helper()
	noiseOnce.Do(func() {
		for _, l := range readJSONL(tb, "noise.jsonl") {
			noiseTitles = append(noiseTitles, l.Title)
		}
	})
	if len(noiseTitles) == 0 {
		tb.Skip("no noise headlines")
	}
	return noiseTitles
}

// syllables make distinct, pronounceable synthetic names that no real headline contains.
var syllables = []string{"zor", "vex", "qua", "lix", "tro", "myr", "dax", "pel", "quo", "ryn",
	"zef", "kyv", "wix", "jor", "bax", "nym", "qir", "fyx", "gud", "hov"}

func synthName(i int) string {
	var b strings.Builder
	b.WriteString("Q")
	for n := i + 8000; n > 0 || b.Len() < 7; n /= len(syllables) {
		b.WriteString(syllables[n%len(syllables)])
	}
	return b.String()
}

// cueBank holds the cue vocabularies users write again and again; each generated catalyst
// picks some, so real cue words of the noise headlines hit the shared trie.
var cueBank = [][]string{
	{"(approves|approved|clears|cleared)", "{org} ... (wins|secures|gets) (approval|clearance)"},
	{"(rejects|rejected|blocks|blocked|denies|denied)", "(turns_down|turned_down) {product}"},
	{"(launches|launched|ships|shipped|releases|released)", "(available|availability) (in|on|to)"},
	{"(sues|sued|suing) ... {product}", "(files|filed) ... (lawsuit|suit|complaint)"},
	{"(settles|settled)", "(reach|reaches|reached) ... (settlement|deal|agreement)"},
	{"(acquires|acquired|buys|bought) {product}", "(completes|completed) ... (acquisition|merger|deal)"},
	{"(confirms|confirmed|announces|announced)", "(is|was) behind {product}"},
	{"(recalls|recalled|halts|halted|suspends|suspended)", "(pulls|pulled) {product}"},
}

// generated returns n catalysts with distinct synthetic aliases and cues drawn from cueBank.
func generated(n int) []catalysts.Definition {
	defs := make([]catalysts.Definition, n)
	for i := range defs {
		org, product := synthName(2*i), synthName(2*i+1)
		ticker := strings.ToUpper(org[1:5])
		a, b := cueBank[i%len(cueBank)], cueBank[(i/len(cueBank)+i+1)%len(cueBank)]
		defs[i] = catalysts.Definition{
			ID:      fmt.Sprintf("gen-%05d", i),
			Tickers: []string{ticker},
			Initial: "watching",
			Entities: map[string]catalysts.Phrases{
				"org":     {fmt.Sprintf("(%s|%s_Holdings|%s's)", org, org, org), "$" + ticker},
				"product": {fmt.Sprintf("(%s|%s-2|%s_Pro)", product, product, product)},
			},
			About: []string{"product"},
			States: map[string]catalysts.State{
				"watching": {},
				"first":    {Cues: catalysts.Phrases(a), Require: []string{"org", "product"}},
				"second":   {Cues: catalysts.Phrases(b)},
			},
			Transitions: map[string][]string{"watching": {"first", "second"}, "first": {"second"}},
		}
	}
	return defs
}

func generatedEngine(tb testing.TB, n int) *catalysts.Engine {
	tb.Helper()
	cfg, _ := seed(tb)
	e, err := catalysts.NewEngine(generated(n), cfg.Language)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// BenchmarkClassify measures throughput over the ~94,000 noise headlines, one headline per op.
func BenchmarkClassify(b *testing.B) {
	titles := noise(b)
	engines := []struct {
		name string
		eng  func() *catalysts.Engine
	}{
		{"seed", func() *catalysts.Engine { _, e := seed(b); return e }},
		{"generated=10", func() *catalysts.Engine { return generatedEngine(b, 10) }},
		{"generated=1000", func() *catalysts.Engine { return generatedEngine(b, 1000) }},
		{"generated=10000", func() *catalysts.Engine { return generatedEngine(b, 10000) }},
	}
	for _, en := range engines {
		b.Run(en.name, func(b *testing.B) {
			e := en.eng()
			b.ReportAllocs()
			b.ResetTimer()
			for i, j := 0, 0; i < b.N; i++ {
				e.Classify(titles[j])
				if j++; j == len(titles) {
					j = 0
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "headlines/s")
		})
	}
}

// regexpRule is the naive keyword alert the engine replaces: per catalyst, one regexp over its
// aliases and one over its cues, both tried on every headline.
type regexpRule struct {
	about, cue *regexp.Regexp
}

func regexpRules(defs []catalysts.Definition) []regexpRule {
	words := func(ps []string) string {
		var alts []string
		for _, p := range ps {
			for _, f := range strings.Fields(p) {
				if strings.HasPrefix(f, "{") || f == "..." {
					continue
				}
				f = strings.NewReplacer("(", "", ")", "", "_", " ", "$", "").Replace(f)
				for _, a := range strings.Split(f, "|") {
					alts = append(alts, regexp.QuoteMeta(a))
				}
			}
		}
		return `(?i)\b(?:` + strings.Join(alts, "|") + `)\b`
	}
	rules := make([]regexpRule, len(defs))
	for i, d := range defs {
		var aliases, cues []string
		for _, g := range d.About {
			aliases = append(aliases, d.Entities[g]...)
		}
		for _, s := range d.States {
			cues = append(cues, s.Cues...)
		}
		rules[i] = regexpRule{regexp.MustCompile(words(aliases)), regexp.MustCompile(words(cues))}
	}
	return rules
}

// namedHeadlines returns headlines that each name one of the first n generated catalysts with
// one of its cues, so that every one takes the engine's full path.
func namedHeadlines(n int) []string {
	verbs := []string{"approves", "rejects", "launches", "sues", "settles with", "acquires", "confirms", "recalls"}
	out := make([]string, 0, 1000)
	for i := 0; i < 1000; i++ {
		c := (i * 7919) % n
		out = append(out, fmt.Sprintf("%s %s %s, shares %s", synthName(2*c), verbs[i%len(verbs)],
			synthName(2*c+1), []string{"rise", "fall", "hold"}[i%3]))
	}
	return out
}

// BenchmarkClassifyNamed measures the full path: headlines that name a catalyst.
func BenchmarkClassifyNamed(b *testing.B) {
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprintf("generated=%d", n), func(b *testing.B) {
			e := generatedEngine(b, n)
			titles := namedHeadlines(n)
			if len(e.Classify(titles[0])) == 0 {
				b.Fatalf("%q: no signal", titles[0])
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i, j := 0, 0; i < b.N; i++ {
				e.Classify(titles[j])
				if j++; j == len(titles) {
					j = 0
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "headlines/s")
		})
	}
}

// BenchmarkRegexpBaseline runs the same catalysts as one regexp per rule over the same noise
// headlines, and reports the engine's speed-up over it, measured on the same headlines.
func BenchmarkRegexpBaseline(b *testing.B) {
	titles := noise(b)
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprintf("generated=%d", n), func(b *testing.B) {
			defs := generated(n)
			rules := regexpRules(defs)
			e := generatedEngine(b, n)
			b.ResetTimer()
			hits := 0
			for i, j := 0, 0; i < b.N; i++ {
				t := titles[j]
				for _, r := range rules {
					if r.about.MatchString(t) && r.cue.MatchString(t) {
						hits++
					}
				}
				if j++; j == len(titles) {
					j = 0
				}
			}
			b.StopTimer()
			perRegexp := b.Elapsed().Seconds() / float64(b.N)
			// The engine over the same headlines, at least as many and at least 50 ms' worth.
			start, m := time.Now(), 0
			for m < b.N || time.Since(start) < 50*time.Millisecond {
				e.Classify(titles[m%len(titles)])
				m++
			}
			perEngine := time.Since(start).Seconds() / float64(m)
			b.ReportMetric(1/perRegexp, "headlines/s")
			b.ReportMetric(perRegexp/perEngine, "x-slower-than-engine")
		})
	}
}

// BenchmarkBuild measures compiling 10,000 catalysts, and the heap the engine keeps.
func BenchmarkBuild(b *testing.B) {
	cfg, _ := seed(b)
	defs := generated(10000)
	var heap uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := heapInUse()
		e, err := catalysts.NewEngine(defs, cfg.Language)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		heap = heapInUse() - before
		runtime.KeepAlive(e)
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/(1<<20), "MiB-heap")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestBuild10000 holds the build targets that do not depend on the machine's speed: the heap an
// engine of 10,000 catalysts keeps, and a loose bound on its build time.
func TestBuild10000(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 catalysts")
	}
	cfg, _ := seed(t)
	defs := generated(10000)
	before := heapInUse()
	start := time.Now()
	e, err := catalysts.NewEngine(defs, cfg.Language)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	heap := heapInUse() - before
	runtime.KeepAlive(e)
	t.Logf("10,000 catalysts: built in %v, %.1f MiB of heap", took, float64(heap)/(1<<20))
	if heap > 20<<20 {
		t.Errorf("engine heap %.1f MiB, want <= 20 MiB", float64(heap)/(1<<20))
	}
	// The same engine classifies: a generated catalyst's headline gets its signal.
	d := defs[1234]
	org := strings.Trim(strings.Split(d.Entities["org"][0], "|")[0], "(")
	prod := strings.Trim(strings.Split(d.Entities["product"][0], "|")[0], "(")
	sigs := e.Classify(org + " says " + prod + " draws interest")
	if len(sigs) != 1 || sigs[0].Catalyst != d.ID {
		t.Errorf("generated catalyst %s: signals %+v", d.ID, sigs)
	}
}
