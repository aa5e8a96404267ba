package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/catalyst-monitor/catalyst/internal/shared"
)

// diffHeadlines describes the first differences between two parses of one document, or "".
func diffHeadlines(fast, slow []Headline) string {
	var b strings.Builder
	if len(fast) != len(slow) {
		fmt.Fprintf(&b, "fast parser: %d headlines, gofeed: %d\n", len(fast), len(slow))
	}
	for i := range min(len(fast), len(slow)) {
		f, s := fast[i], slow[i]
		if f.ID != s.ID || f.Source != s.Source || f.Title != s.Title || f.Summary != s.Summary ||
			f.Link != s.Link || !f.Published.Equal(s.Published) || f.Published.Location() != s.Published.Location() ||
			f.DateMissing != s.DateMissing || f.GUID != s.GUID || f.Feed != s.Feed ||
			!f.FirstSeen.Equal(s.FirstSeen) || !maps.Equal(f.Fields, s.Fields) {
			fmt.Fprintf(&b, "item %d:\n fast   %+v\n gofeed %+v\n", i, f, s)
			if b.Len() > 4000 {
				break
			}
		}
	}
	return b.String()
}

// TestFastParseMatchesGofeed parses every corpus file with both XML parsers: where both succeed
// the headlines must be identical, and the fast parser must accept nearly all of the XML feeds.
// Every other file is parsed as if fetched from a URL, so relative links are resolved too.
func TestFastParseMatchesGofeed(t *testing.T) {
	dir := shared.Dir(t, "corpora", "feeds")
	files := corpusFiles(t, dir)
	type outcome struct {
		rel        string
		fast, slow []Headline
		ferr, serr error
		feedURL    string
		xml        bool
	}
	results := make([]outcome, len(files))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(files); i += workers {
				o := &results[i]
				body, err := os.ReadFile(files[i])
				if err != nil {
					o.ferr = err
					continue
				}
				o.rel, _ = filepath.Rel(dir, files[i])
				if k, err := detect(toUTF8(body, "")); err != nil || (k != gofeed.FeedTypeRSS && k != gofeed.FeedTypeAtom) {
					continue // JSON Feed and non-feeds take the same path either way
				}
				o.xml = true
				if i%2 == 1 {
					o.feedURL = "https://feeds.example.com/" + filepath.ToSlash(o.rel)
				}
				opts := ParseOptions{FeedURL: o.feedURL, FeedName: "corpus", Now: testNow}
				o.slow, o.serr = parse(body, opts, parseGofeed)
				o.fast, o.ferr = parse(body, opts, parseFast)
			}
		}()
	}
	wg.Wait()

	var both, gofeedOnly, fastOnly, neither int
	declined := map[string]int{}
	for _, o := range results {
		if !o.xml {
			if o.ferr != nil {
				t.Fatal(o.ferr)
			}
			continue
		}
		if errors.Is(o.ferr, errParserPanic) {
			t.Errorf("%s: fast parser panicked: %v", o.rel, o.ferr)
		}
		switch {
		case o.serr == nil && o.ferr == nil:
			both++
			if d := diffHeadlines(o.fast, o.slow); d != "" {
				t.Errorf("%s (feed URL %q): headlines differ:\n%s", o.rel, o.feedURL, d)
			}
		case o.serr == nil:
			gofeedOnly++
			reason := o.ferr.Error()
			if i := strings.Index(reason, " on line "); i >= 0 {
				reason = reason[:i]
			}
			declined[reason]++
			if testing.Verbose() {
				t.Logf("fast parser declined %s: %v", o.rel, o.ferr)
			}
		case o.ferr == nil:
			fastOnly++
			t.Errorf("%s: only the fast parser accepts it (%d headlines); gofeed: %v", o.rel, len(o.fast), o.serr)
		default:
			neither++
		}
	}
	reasons := make([]string, 0, len(declined))
	for r, n := range declined {
		reasons = append(reasons, fmt.Sprintf("%d× %s", n, r))
	}
	sort.Strings(reasons)
	t.Logf("XML feeds: %d parsed by both, %d by gofeed only (fallback), %d by the fast parser only, %d by neither; declined: %s",
		both, gofeedOnly, fastOnly, neither, strings.Join(reasons, "; "))
	// The fallback is for rarities; a jump means the fast parser stopped handling common feeds.
	if gofeedOnly*20 > both {
		t.Errorf("the fast parser declined %d of %d feeds gofeed parses", gofeedOnly, both+gofeedOnly)
	}
}

// FuzzParseDate holds gofeedParseDate's shortcut for common forms to gofeed's layout-by-layout
// search.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2005-07-08T16:01:38Z", "2005-07-08T16:01:38.123+02:00", "2005-07-08T16:01:38", "2005-07-08 16:01:38Z",
		"Fri, 06 May 1983 09:00:00 CST", "Mon, 27 Dec 2004 11:12:01 -0500", "Mon, 27 Dec 2004 11:12:01 UT",
		"Mon, 27 Dec 2004 11:12:01 Z", "Mon, 27 Dec 2004 11:12:01 GMT+1", "Thu, 09 Feb 2006 23:59:45 CEST",
		"Sun, 31 Feb 2004 11:12:01 GMT", "Mon, 27 Foo 2004 11:12:01 GMT", "Xyz, 27 Dec 2004 11:12:01 +0000",
		"Mon, 27 Dec 2004 11:12:01 +0000 GMT", "Mon, 27 Dec 2004 25:12:01 EST", "Mon, 27 Dec 2004 11:12:01 ABCDEFG",
		"Monday, 27 Dec 2004 11:12:01 GMT", "2004-12-27", " 2005-07-08T16:01:38Z ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ferr := gofeedParseDate(s)
		slow, serr := slowGofeedDate(strings.TrimSpace(s), s)
		if strings.TrimSpace(s) == "" {
			return
		}
		if (ferr == nil) != (serr == nil) || !fast.Equal(slow) || fast.Location().String() != slow.Location().String() {
			t.Errorf("%q: shortcut %v (%v), gofeed %v (%v)", s, fast, ferr, slow, serr)
		}
		if name, off := fast.Zone(); ferr == nil {
			if sname, soff := slow.Zone(); name != sname || off != soff {
				t.Errorf("%q: zone %s %d, gofeed %s %d", s, name, off, sname, soff)
			}
		}
	})
}

// TestQuickDetect holds quickDetect to gofeed.DetectFeedType over the corpus.
func TestQuickDetect(t *testing.T) {
	dir := shared.Dir(t, "corpora", "feeds")
	quick := 0
	for _, p := range corpusFiles(t, dir) {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range [][]byte{body, toUTF8(body, "")} {
			b = bytes.TrimLeft(b, " \t\r\n")
			if len(b) == 0 || b[0] != '<' {
				continue
			}
			got, ok := quickDetect(b)
			if !ok {
				continue
			}
			quick++
			if want := gofeed.DetectFeedType(bytes.NewReader(b)); got != want {
				t.Errorf("%s: quickDetect %v, gofeed %v", p, got, want)
			}
		}
	}
	t.Logf("quickDetect answered for %d documents", quick)
}

// fastParseSeeds exercise the translator rules and markup the fast parser must treat exactly as
// gofeed does.
var fastParseSeeds = []string{
	// RSS: last <title>/<link> wins, all links kept, a later unparseable pubDate keeps the earlier
	// parsed one, dc and Atom extensions as fallbacks, content:encoded, source, guid permalinks.
	`<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd">
<channel><link>https://a.example.com/</link><link></link><atom:link rel="alternate" href="https://b.example.com/x y"/>
<item><title>One</title><title>Two</title><link>/rel/1</link><link href="/h"></link><pubDate>Tue, 04 Mar 2025 14:05:00 GMT</pubDate><pubDate>never</pubDate><dc:date>2025-01-01T00:00:00Z</dc:date></item>
<item><dc:title>DC title</dc:title><dc:title>second</dc:title><dc:description></dc:description><itunes:summary>itunes</itunes:summary><atom:summary>atom sum</atom:summary><guid isPermaLink="true">https://g.example.com/1</guid></item>
<item><title>T &amp;amp; &#x41;&#65; &nbsp;</title><description><![CDATA[<p>cdata</p>]]> after &lt;b&gt;</description><content:encoded><![CDATA[<b>body</b>]]></content:encoded><source url="https://www.src.example.co.uk/feed">Src</source><atom:updated>2025-02-02T00:00:00+01:00</atom:updated><atom:published>bad</atom:published></item>
<item><title>Permalink false</title><guid isPermalink="false">http://x.example.com/2</guid><dc:date></dc:date><atom:published>2025-02-02T00:00:00Z</atom:published></item>
</channel></rss>`,
	// RSS 1.0 with items under the root, a prefixed default namespace and a rebound prefix.
	`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:d="http://purl.org/dc/elements/1.1/">
<channel rdf:about="x"><link>http://r.example.org/</link></channel>
<item xmlns:d="urn:other"><title>Rebound</title><d:date>2025-01-02T03:04:05Z</d:date></item>
<item><title>Dc</title><d:date>2025-01-02T03:04:05Z</d:date><d:Date>x</d:Date></item>
<channel><link>http://second.example.org/</link></channel></rdf:RDF>`,
	// Undeclared prefixes, a bogus root namespace, EDGAR xbrlFiling.
	`<rss xmlns="http://backend.userland.com/rss2" xmlns:edgar="https://www.sec.gov/Archives/edgar"><channel>
<item><title>8-K</title><content:encoded>undeclared</content:encoded><dc:title>x</dc:title><edgar:xbrlFiling><edgar:formType>8-K</edgar:formType><edgar:formType>9</edgar:formType><edgar:filingDate>01/24/2025</edgar:filingDate><edgar:accessionNumber> 0001193125-25-012309 </edgar:accessionNumber></edgar:xbrlFiling></item>
<rss:item><title>rss prefix</title></rss:item></channel></rss>`,
	// Atom: first alternate link, ids as URIs, text constructs of every type, xml:base.
	`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://base.example.com/dir/file"><link rel="self" href="/self"/><link href="home"/>
<entry xml:base="sub/"><title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp;</title><id> tag:x,2025:1 </id><link rel="enclosure" href="e.mp3"/><link href=""/><link rel="alternate" href="two"/>
<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="rel">x</a> y</div></summary><content type="text/xml"><accession-number>0001104659-21-057704</accession-number></content>
<issued>2004-05-01T10:00:00Z</issued><published>garbage</published><modified>2004-05-02T10:00:00Z</modified><category label="form type" term="S-1/A" scheme="http://www.sec.gov/"/></entry>
<entry><title type="text/plain">a &amp;lt; b</title><content type="image/png" mode="base64">aGVsbG8=</content><id>http://x y</id></entry>
<entry><title><![CDATA[<i>cdata</i> title]]></title><summary type="html"><![CDATA[<a href="/x">s</a>]]></summary></entry></feed>`,
	// The home page from atom:link (normalised by url.Parse) resolves relative item links; a
	// prefix bound to "" makes an attribute un-namespaced.
	`<rss xmlns:a="http://www.w3.org/2005/Atom"><channel><a:link rel="self" href="http://self.example.com/"/><a:link href="https://b.example.com/dir one/"/>
<item><title>Relative</title><link>rel item</link></item>
<item xmlns:x=""><title>Attr</title><link x:href="http://first.example.com/" href="http://second.example.com/"></link></item></channel></rss>`,
	`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x=""><entry><title>e</title><link x:href="http://first.example.com/" href="http://second.example.com/"/></entry></feed>`,
	// Markup the scanner must get exactly right or decline.
	"<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n<!DOCTYPE rss [<!ENTITY x \"y\"> <!-- c > -->]><!-- c --><?pi x?><rss><channel><item><title a='1' b = \"2\">x&#13;\r\ny</title><link/></item></channel></rss>",
	`<rss><channel><item><title>&#0;</title></item></channel></rss>`,
	`<rss><channel><item><title>a]]>b</title></item></channel></rss>`,
	`<rss><channel><item><title x="<">a</title></item></channel></rss>`,
	`<rss><channel><item><title>a</titl></item></channel></rss>`,
	`<rss><channel><item><title x=1>a</title></item></channel></rss>`,
	`<rss><channel><item><title x>a</title></item></channel></rss>`,
	`<rss><channel><item><title>a<!-- -- --></title></item></channel></rss>`,
	`<rss><channel><item><title>a &amp`,
	`<rss><channel><item><title x="&#1;`,
	`<rss><channel><item><ti:t:le>a</ti:t:le></item></channel></rss>`,
	`<?xml version="1.1"?><rss><channel><item><title>v</title></item></channel></rss>`,
	`<rss><channel><item><title>é</title><tïtle>x</tïtle></item></channel></rss>`,
	`<feed><entry><title>no namespace</title><link href="http://a/b" rel="alternate"/></entry></feed>trailing <junk`,
}

// FuzzFastParse holds the fast parser to gofeed: whatever the fast parser accepts, gofeed must
// accept with the same headlines.
func FuzzFastParse(f *testing.F) {
	for _, seed := range fastParseSeeds {
		f.Add([]byte(seed))
	}
	probe := &softTB{TB: f}
	if dir := shared.Dir(probe, "corpora", "feeds"); !probe.skipped && dir != "" {
		for i, p := range corpusFiles(f, dir) {
			if i%10 != 3 {
				continue
			}
			if body, err := os.ReadFile(p); err == nil && len(body) <= 16<<10 {
				f.Add(body)
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		opts := ParseOptions{FeedURL: "https://feeds.example.com/f", FeedName: "fuzz", Now: testNow}
		fast, ferr := parse(body, opts, parseFast)
		if errors.Is(ferr, errParserPanic) {
			t.Fatalf("fast parser panicked: %v", ferr)
		}
		if ferr != nil {
			return
		}
		slow, serr := parse(body, opts, parseGofeed)
		if serr != nil {
			t.Fatalf("the fast parser accepted a document gofeed rejects (%v): %d headlines", serr, len(fast))
		}
		if d := diffHeadlines(fast, slow); d != "" {
			t.Fatalf("headlines differ:\n%s", d)
		}
	})
}

// TestFastParseSeeds runs the hand-written seeds through both parsers, so the rules they
// exercise are checked on every test run, not only when fuzzing.
func TestFastParseSeeds(t *testing.T) {
	for i, seed := range fastParseSeeds {
		opts := ParseOptions{FeedURL: "https://feeds.example.com/f", FeedName: "seed", Now: testNow}
		slow, serr := parse([]byte(seed), opts, parseGofeed)
		fast, ferr := parse([]byte(seed), opts, parseFast)
		if errors.Is(ferr, errParserPanic) {
			t.Errorf("seed %d: fast parser panicked: %v", i, ferr)
		}
		switch {
		case ferr == nil && serr != nil:
			t.Errorf("seed %d: fast parser accepted (%d headlines) what gofeed rejects: %v", i, len(fast), serr)
		case ferr == nil:
			if d := diffHeadlines(fast, slow); d != "" {
				t.Errorf("seed %d: headlines differ:\n%s", i, d)
			}
		}
		t.Logf("seed %d: fast %d headlines (%v), gofeed %d (%v)", i, len(fast), ferr, len(slow), serr)
	}
}
