package feeds

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/catalyst-monitor/catalyst/internal/shared"
)

// corpusParsedFloor is just under the number of corpus files Parse accepted when measured
// (4,871 of 5,348 files: the rest are expected-output JSON that is not a JSON Feed, fragments,
// CDF, RSS 1.1, HTML and deliberately broken documents). A drop below it means Parse got
// stricter or broke.
const corpusParsedFloor = 4850

// corpusFiles lists every regular file under the feeds corpus, sorted.
func corpusFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// checkHeadlines asserts the invariants every parsed headline keeps.
func checkHeadlines(tb testing.TB, name string, hs []Headline) {
	tb.Helper()
	for i, h := range hs {
		for field, v := range map[string]string{"Title": h.Title, "Summary": h.Summary, "Source": h.Source, "Link": h.Link, "GUID": h.GUID} {
			if !utf8.ValidString(v) {
				tb.Errorf("%s item %d: %s is not valid UTF-8: %q", name, i, field, v)
			}
		}
		if h.ID == "" || h.ID != Key(h) {
			tb.Errorf("%s item %d: ID %q, Key %q", name, i, h.ID, Key(h))
		}
		if h.Title == "" || strings.TrimSpace(h.Title) != h.Title {
			tb.Errorf("%s item %d: untrimmed or empty title %q", name, i, h.Title)
		}
		if utf8.RuneCountInString(h.Summary) > MaxSummaryRunes || utf8.RuneCountInString(h.Title) > MaxTitleRunes {
			tb.Errorf("%s item %d: title or summary over the cap", name, i)
		}
		if h.Published.IsZero() || h.Published.Location().String() != "UTC" {
			tb.Errorf("%s item %d: Published %v not set or not UTC", name, i, h.Published)
		}
	}
}

// parseNoPanic parses body, turning a panic (escaped or recovered by Parse) into a test failure.
func parseNoPanic(tb testing.TB, name string, body []byte) (hs []Headline, err error) {
	tb.Helper()
	defer func() {
		if r := recover(); r != nil {
			tb.Errorf("%s: Parse panicked: %v", name, r)
			hs, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	hs, err = Parse(body, ParseOptions{FeedName: name, Now: testNow})
	if errors.Is(err, errParserPanic) {
		tb.Errorf("%s: a parser panicked: %v", name, err)
	}
	return hs, err
}

func TestParseCorpus(t *testing.T) {
	dir := shared.Dir(t, "corpora", "feeds")
	files := corpusFiles(t, dir)
	parsed, rejected, items, undated := 0, 0, 0, 0
	notFeed := 0
	for _, p := range files {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		hs, err := parseNoPanic(t, rel, body)
		if err != nil {
			rejected++
			if errors.Is(err, ErrNotFeed) {
				notFeed++
			}
			continue
		}
		parsed++
		items += len(hs)
		for _, h := range hs {
			if h.DateMissing {
				undated++
			}
		}
		checkHeadlines(t, rel, hs)
	}
	t.Logf("corpus: %d files, %d parsed (%d headlines, %d undated), %d rejected (%d not feeds, %d broken feeds)",
		len(files), parsed, items, undated, rejected, notFeed, rejected-notFeed)
	if parsed < corpusParsedFloor {
		t.Errorf("parsed %d corpus files, want at least %d", parsed, corpusParsedFloor)
	}
}

// softTB lets a fuzz target use shared.Dir without the whole target, inline seeds included,
// being skipped when the corpus is absent. Fatalf (CATALYST_REQUIRE_SHARED=1) still fails.
type softTB struct {
	testing.TB
	skipped bool
}

func (s *softTB) Skipf(format string, args ...any) {
	s.skipped = true
	s.Logf(format, args...)
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		googleNewsRSS,
		`<rss version="2.0"><channel><item><title>a &amp;amp; b</title></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x<b>y</b></div></title></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1","items":[{"id":1,"title":"\ud800"}]}`,
		"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><item><title>\xff\xfe\x80</title></item></channel></rss>",
		"\xfe\xff\x00<\x00r\x00s\x00s",
		"<rss><channel><item><title><![CDATA[<script>",
		"",
		"{",
		"<html><body>not a feed</body></html>",
	} {
		f.Add([]byte(seed))
	}
	probe := &softTB{TB: f}
	if dir := shared.Dir(probe, "corpora", "feeds"); !probe.skipped && dir != "" {
		for i, p := range corpusFiles(f, dir) {
			if i%20 != 0 {
				continue
			}
			if body, err := os.ReadFile(p); err == nil && len(body) <= 64<<10 {
				f.Add(body)
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		hs, err := parseNoPanic(t, "fuzz", body)
		if err != nil {
			return
		}
		checkHeadlines(t, "fuzz", hs)
	})
}

// BenchmarkParseCorpus parses every corpus document Parse accepts, with the fast XML parser
// (as Parse does: falling back to gofeed where it declines) and with gofeed alone, the path
// Parse took before. Besides MB/s it reports allocations and bytes allocated per document.
//
//	go test -run '^$' -bench ParseCorpus -benchtime 20x ./feeds/
func BenchmarkParseCorpus(b *testing.B) {
	dir := shared.Dir(b, "corpora", "feeds")
	var bodies [][]byte
	var total int64
	for _, p := range corpusFiles(b, dir) {
		body, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Parse(body, ParseOptions{Now: testNow}); err == nil {
			bodies = append(bodies, body)
			total += int64(len(body))
		}
	}
	for _, bc := range []struct {
		name string
		mode parseMode
	}{{"fast", parseAuto}, {"gofeed", parseGofeed}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(total)
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				for _, body := range bodies {
					if _, err := parseChecked(body, ParseOptions{Now: testNow}, bc.mode); err != nil {
						b.Fatal(err)
					}
				}
			}
			runtime.ReadMemStats(&after)
			docs := float64(b.N) * float64(len(bodies))
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/docs, "allocs/feed")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/docs, "B/feed")
			b.ReportMetric(float64(len(bodies)), "feeds")
		})
	}
}
