package feeds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/catalyst-monitor/catalyst/internal/shared"
)

var testNow = time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC)

const googleNewsRSS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>"Disney" - Google News</title><link>https://news.google.com/search?q=Disney</link>
<item><title>Disney names Josh D'Amaro as next CEO - Reuters</title>
<link>https://news.google.com/rss/articles/CBMiAAA?oc=5</link>
<guid isPermaLink="false">CBMiAAA</guid>
<pubDate>Tue, 04 Mar 2025 14:05:00 GMT</pubDate>
<description>&lt;a href="https://news.google.com/rss/articles/CBMiAAA?oc=5" target="_blank"&gt;Disney names Josh D'Amaro as next CEO&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Reuters&lt;/font&gt;</description>
<source url="https://www.reuters.com">Reuters</source></item>
<item><title>Alibaba - Tencent - rivalry heats up - The Wall Street Journal</title>
<link>https://news.google.com/rss/articles/CBMiBBB?oc=5</link>
<guid isPermaLink="false">CBMiBBB</guid>
<pubDate>Tue, 04 Mar 2025 09:00:00 -0500</pubDate>
<source url="https://www.wsj.com">WSJ</source></item>
</channel></rss>`

func TestParseGoogleNews(t *testing.T) {
	hs, err := Parse([]byte(googleNewsRSS), ParseOptions{
		FeedURL: "https://news.google.com/rss/search?q=disney", FeedName: "gnews", Now: testNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		title, source, guid string
		published           time.Time
	}{
		{"Disney names Josh D'Amaro as next CEO", "reuters.com", "CBMiAAA", time.Date(2025, 3, 4, 14, 5, 0, 0, time.UTC)},
		// The suffix does not match <source>, but on news.google.com the last " - " part goes.
		{"Alibaba - Tencent - rivalry heats up", "wsj.com", "CBMiBBB", time.Date(2025, 3, 4, 14, 0, 0, 0, time.UTC)},
	}
	if len(hs) != len(want) {
		t.Fatalf("got %d headlines, want %d: %+v", len(hs), len(want), hs)
	}
	for i, w := range want {
		h := hs[i]
		if h.Title != w.title || h.Source != w.source || h.GUID != w.guid || !h.Published.Equal(w.published) {
			t.Errorf("item %d = %q %q %q %v, want %q %q %q %v", i, h.Title, h.Source, h.GUID, h.Published, w.title, w.source, w.guid, w.published)
		}
		if h.Published.Location() != time.UTC {
			t.Errorf("item %d: Published not in UTC: %v", i, h.Published)
		}
		if h.Feed != "gnews" || h.ID != Key(h) || !strings.HasPrefix(h.ID, "g:") || h.DateMissing {
			t.Errorf("item %d: Feed %q ID %q DateMissing %v", i, h.Feed, h.ID, h.DateMissing)
		}
	}
	if got := hs[0].Summary; got != "Disney names Josh D'Amaro as next CEO Reuters" {
		t.Errorf("summary = %q", got)
	}
}

func TestParsePublisherSuffix(t *testing.T) {
	const feed = `<rss version="2.0"><channel><title>Aggregator</title><link>https://agg.example.org/</link>
<item><title>Rates hold steady - Financial Times</title><link>https://www.ft.com/content/1</link><source url="https://www.ft.com/">Financial Times</source></item>
<item><title>Rates - what next?</title><link>https://www.ft.com/content/2</link><source url="https://www.ft.com/">Financial Times</source></item>
<item><title>Rates - what next?</title><link>https://www.ft.com/content/3</link></item>
</channel></rss>`
	hs, err := Parse([]byte(feed), ParseOptions{FeedURL: "https://agg.example.org/rss", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Rates hold steady", "Rates - what next?", "Rates - what next?"}
	if len(hs) != len(want) {
		t.Fatalf("got %d headlines", len(hs))
	}
	for i, w := range want {
		if hs[i].Title != w {
			t.Errorf("title %d = %q, want %q", i, hs[i].Title, w)
		}
		if hs[i].Source != "ft.com" {
			t.Errorf("source %d = %q", i, hs[i].Source)
		}
	}
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name, body, feedURL, contentType string
		want                             []Headline // ID, Fields, FirstSeen, Feed not compared
	}{
		{
			name: "atom 1.0",
			body: `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title><link href="https://example.com/"/><id>urn:x</id><updated>2025-03-01T00:00:00Z</updated>
<entry><title type="html">Q4 &amp;lt;b&amp;gt;beat&amp;lt;/b&amp;gt;</title><id>tag:example.com,2025:1</id><link rel="alternate" href="/posts/1?utm_source=rss"/>
<published>2025-03-01T08:30:00+01:00</published><updated>2025-03-02T00:00:00Z</updated><summary>First &lt;em&gt;summary&lt;/em&gt;</summary></entry>
<entry><title>Updated only</title><id>tag:example.com,2025:2</id><link href="https://blog.example.com/2"/><updated>2025-03-02T10:00:00-05:00</updated><content type="html">&lt;p&gt;Body&lt;/p&gt;&lt;p&gt;text&lt;/p&gt;</content></entry>
</feed>`,
			want: []Headline{
				{Source: "example.com", Title: "Q4 beat", Summary: "First summary", Link: "https://example.com/posts/1?utm_source=rss",
					Published: time.Date(2025, 3, 1, 7, 30, 0, 0, time.UTC), GUID: "tag:example.com,2025:1"},
				{Source: "example.com", Title: "Updated only", Summary: "Body text", Link: "https://blog.example.com/2",
					Published: time.Date(2025, 3, 2, 15, 0, 0, 0, time.UTC), GUID: "tag:example.com,2025:2"},
			},
		},
		{
			name: "atom 0.3",
			body: `<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title><link rel="alternate" href="http://old.example.net/"/>
<entry><title>Legacy entry</title><link rel="alternate" href="http://old.example.net/1"/><id>urn:old:1</id><issued>2004-05-01T10:00:00Z</issued><modified>2004-05-01T10:00:00Z</modified></entry></feed>`,
			want: []Headline{{Source: "example.net", Title: "Legacy entry", Link: "http://old.example.net/1",
				Published: time.Date(2004, 5, 1, 10, 0, 0, 0, time.UTC), GUID: "urn:old:1"}},
		},
		{
			name: "json feed",
			body: `{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://j.example.com/",
"items":[{"id":"1","url":"https://j.example.com/a","title":"Json &amp; friends","content_html":"<p>Hello <b>world</b></p>","date_published":"2025-02-03T04:05:06Z"},
{"id":2,"content_text":"A title-less micro post","date_modified":"2025-02-04T00:00:00+09:00"}]}`,
			want: []Headline{
				{Source: "example.com", Title: "Json & friends", Summary: "Hello world", Link: "https://j.example.com/a",
					Published: time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC), GUID: "1"},
				{Source: "example.com", Title: "A title-less micro post", Summary: "A title-less micro post",
					Published: time.Date(2025, 2, 3, 15, 0, 0, 0, time.UTC), GUID: "2"},
			},
		},
		{
			name:    "rss 1.0 with dc:date and relative link",
			feedURL: "https://rdf.example.org/index.rdf",
			body: `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example.org/"><title>R</title><link>https://rdf.example.org/</link><description>d</description></channel>
<item rdf:about="https://rdf.example.org/1"><title>RDF item</title><link>/story/1</link><dc:date>2025-01-02T03:04:05+00:00</dc:date></item></rdf:RDF>`,
			want: []Headline{{Source: "example.org", Title: "RDF item", Link: "https://rdf.example.org/story/1",
				Published: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}},
		},
		{
			name: "entities and tags in titles",
			body: `<rss version="2.0"><channel><title>T</title><link>https://t.example.com/</link>
<item><title>&lt;b&gt;AT&amp;amp;T&lt;/b&gt; &amp;#8217;s   deal&lt;br/&gt;done&#160;now</title><link>https://t.example.com/1</link><pubDate>Wed, 05 Mar 2025 10:00:00 +0000</pubDate></item>
<item><title><![CDATA[<i>Breaking:</i> Disney&nbsp;&amp; <script>alert(1)</script>Pixar]]></title><link>https://t.example.com/2</link><pubDate>Wed, 05 Mar 2025 11:00:00 +0000</pubDate></item>
<item><title>   </title><description>   </description></item>
</channel></rss>`,
			want: []Headline{
				{Source: "example.com", Title: "AT&T ’s deal done now", Link: "https://t.example.com/1", Published: time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)},
				{Source: "example.com", Title: "Breaking: Disney & Pixar", Link: "https://t.example.com/2", Published: time.Date(2025, 3, 5, 11, 0, 0, 0, time.UTC)},
			},
		},
		{
			name:    "missing dates flagged",
			feedURL: "https://feeds.nodate.example.co.uk/rss",
			body: `<rss version="2.0"><channel><title>N</title>
<item><title>No date at all</title><guid isPermaLink="true">https://www.nodate.example.co.uk/a</guid></item>
<item><title>Unparseable date</title><pubDate>sometime last week</pubDate></item>
<item><title>Epoch placeholder</title><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>
</channel></rss>`,
			want: []Headline{
				{Source: "example.co.uk", Title: "No date at all", Link: "https://www.nodate.example.co.uk/a", Published: testNow, DateMissing: true, GUID: "https://www.nodate.example.co.uk/a"},
				{Source: "example.co.uk", Title: "Unparseable date", Published: testNow, DateMissing: true},
				{Source: "example.co.uk", Title: "Epoch placeholder", Published: testNow, DateMissing: true},
			},
		},
		{
			name: "source domains",
			body: `<rss version="2.0"><channel><title>S</title>
<item><title>BBC</title><link>http://news.bbc.co.uk/1/hi/world/123.stm</link></item>
<item><title>Reuters</title><link>https://WWW.Reuters.com/markets/x</link></item>
<item><title>Syndicated</title><link>https://agg.example.com/x</link><source url="https://www.ft.com/rss">FT</source></item>
<item><title>IP</title><link>http://192.0.2.7:8080/x</link></item>
</channel></rss>`,
			want: []Headline{
				{Source: "bbc.co.uk", Title: "BBC", Link: "http://news.bbc.co.uk/1/hi/world/123.stm", Published: testNow, DateMissing: true},
				{Source: "reuters.com", Title: "Reuters", Link: "https://WWW.Reuters.com/markets/x", Published: testNow, DateMissing: true},
				{Source: "ft.com", Title: "Syndicated", Link: "https://agg.example.com/x", Published: testNow, DateMissing: true},
				{Source: "192.0.2.7", Title: "IP", Link: "http://192.0.2.7:8080/x", Published: testNow, DateMissing: true},
			},
		},
		{
			name:        "latin-1 declared",
			body:        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>L</title><item><title>Caf\xe9 cr\xe8me \x80</title><link>https://l.example.fr/1</link></item></channel></rss>",
			contentType: "application/rss+xml",
			want:        []Headline{{Source: "example.fr", Title: "Café crème €", Link: "https://l.example.fr/1", Published: testNow, DateMissing: true}},
		},
		{
			name:        "header charset wrong, body utf-8",
			body:        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>U</title><item><title>Café — résumé</title><link>https://u.example.de/1</link></item></channel></rss>",
			contentType: "text/xml; charset=ISO-8859-1",
			want:        []Headline{{Source: "example.de", Title: "Café — résumé", Link: "https://u.example.de/1", Published: testNow, DateMissing: true}},
		},
		{
			name:        "header charset used when undeclared",
			body:        "<rss version=\"2.0\"><channel><title>K</title><item><title>\xcf\xf0\xe8\xe2\xe5\xf2</title><link>https://k.example.ru/1</link></item></channel></rss>",
			contentType: "application/xml; charset=windows-1251",
			want:        []Headline{{Source: "example.ru", Title: "Привет", Link: "https://k.example.ru/1", Published: testNow, DateMissing: true}},
		},
		{
			name: "utf-16 with BOM",
			body: utf16LE("\ufeff<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>W</title><item><title>Grüße</title><link>https://w.example.at/1</link></item></channel></rss>"),
			want: []Headline{{Source: "example.at", Title: "Grüße", Link: "https://w.example.at/1", Published: testNow, DateMissing: true}},
		},
		{
			name: "duplicates collapse",
			body: `<rss version="2.0"><channel><title>D</title>
<item><title>Same</title><guid>1</guid></item><item><title>Same</title><guid>1</guid></item><item><title>Changed</title><guid>1</guid></item></channel></rss>`,
			feedURL: "https://d.example.com/feed",
			want: []Headline{
				{Source: "example.com", Title: "Same", GUID: "1", Published: testNow, DateMissing: true},
				{Source: "example.com", Title: "Changed", GUID: "1", Published: testNow, DateMissing: true},
			},
		},
		{
			name: "empty channel",
			body: `<rss version="2.0"><channel><title>E</title></channel></rss>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, err := Parse([]byte(tt.body), ParseOptions{FeedURL: tt.feedURL, ContentType: tt.contentType, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if len(hs) != len(tt.want) {
				t.Fatalf("got %d headlines, want %d: %+v", len(hs), len(tt.want), hs)
			}
			for i, w := range tt.want {
				h := hs[i]
				if h.Source != w.Source || h.Title != w.Title || h.Summary != w.Summary || h.Link != w.Link ||
					!h.Published.Equal(w.Published) || h.DateMissing != w.DateMissing || h.GUID != w.GUID {
					t.Errorf("item %d:\n got %+v\nwant %+v", i, h, w)
				}
				if h.ID != Key(h) || !h.FirstSeen.Equal(testNow) {
					t.Errorf("item %d: ID %q (Key %q), FirstSeen %v", i, h.ID, Key(h), h.FirstSeen)
				}
			}
		})
	}
}

// utf16LE encodes s as UTF-16 little endian.
func utf16LE(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			panic("test helper handles the BMP only")
		}
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	return b.String()
}

func TestParseSummaryCapped(t *testing.T) {
	long := strings.Repeat("word ", 5000)
	body := `<rss version="2.0"><channel><title>C</title><item><title>` + strings.Repeat("Long title ", 100) +
		`</title><description>` + long + `</description></item></channel></rss>`
	hs, err := Parse([]byte(body), ParseOptions{FeedURL: "https://c.example.com/", Now: testNow})
	if err != nil || len(hs) != 1 {
		t.Fatalf("Parse: %v, %d headlines", err, len(hs))
	}
	if n := utf8.RuneCountInString(hs[0].Summary); n > MaxSummaryRunes || n < MaxSummaryRunes-40 {
		t.Errorf("summary has %d runes, want just under %d", n, MaxSummaryRunes)
	}
	if !strings.HasSuffix(hs[0].Summary, "word…") {
		t.Errorf("summary should end at a word with an ellipsis: ...%q", hs[0].Summary[len(hs[0].Summary)-20:])
	}
	if n := utf8.RuneCountInString(hs[0].Title); n > MaxTitleRunes {
		t.Errorf("title has %d runes", n)
	}
}

func TestParseEDGAR(t *testing.T) {
	dir := shared.Dir(t, "corpora", "feeds", "edgarkit-sec")
	body, err := os.ReadFile(filepath.Join(dir, "atom", "atom.xml"))
	if err != nil {
		t.Fatal(err)
	}
	hs, err := Parse(body, ParseOptions{FeedURL: "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0001844419&output=atom", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 5 {
		t.Fatalf("got %d headlines, want 5", len(hs))
	}
	h := hs[0]
	want := map[string]string{FieldForm: "S-1/A", FieldAccession: "0001104659-21-057704", FieldFiled: "2021-04-29"}
	for k, v := range want {
		if h.Fields[k] != v {
			t.Errorf("Fields[%q] = %q, want %q (all: %v)", k, h.Fields[k], v, h.Fields)
		}
	}
	if h.Source != "sec.gov" || h.GUID != "urn:tag:sec.gov,2008:accession-number=0001104659-21-057704" ||
		!h.Published.Equal(time.Date(2021, 4, 29, 20, 45, 49, 0, time.UTC)) {
		t.Errorf("got %+v", h)
	}
	for i, h := range hs {
		if h.Fields[FieldForm] == "" || h.Fields[FieldAccession] == "" || h.Fields[FieldFiled] == "" {
			t.Errorf("entry %d lacks EDGAR fields: %v", i, h.Fields)
		}
	}

	// The XBRL RSS feed carries the same facts in <edgar:xbrlFiling>.
	body, err = os.ReadFile(filepath.Join(dir, "rss", "usgaap.rss"))
	if err != nil {
		t.Fatal(err)
	}
	hs, err = Parse(body, ParseOptions{Now: testNow})
	if err != nil || len(hs) == 0 {
		t.Fatalf("usgaap.rss: %v, %d headlines", err, len(hs))
	}
	wantRSS := map[string]string{FieldForm: "8-K", FieldAccession: "0001193125-25-012309", FieldFiled: "2025-01-24"}
	for k, v := range wantRSS {
		if hs[0].Fields[k] != v {
			t.Errorf("usgaap Fields[%q] = %q, want %q", k, hs[0].Fields[k], v)
		}
	}
	// "Fri, 24 Jan 2025 17:08:44 EST"
	if !hs[0].Published.Equal(time.Date(2025, 1, 24, 22, 8, 44, 0, time.UTC)) {
		t.Errorf("usgaap published = %v", hs[0].Published)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, body, why string
	}{
		{"empty", "", "empty document"},
		{"blank", " \n\t ", "empty document"},
		{"html page", "<!DOCTYPE html><html><head><title>Hi</title></head><body>no feed</body></html>", "HTML page"},
		{"other xml", `<?xml version="1.0"?><note><to>x</to></note>`, "<note>"},
		{"plain text", "Service Unavailable", `"Service Unavailable"`},
		{"json array", `[{"title":"x"}]`, "JSON array"},
		{"json object", `{"status":"ok"}`, "neither a JSON Feed version nor items"},
		{"broken json", `{"version":"https://jsonfeed.org/version/1","items":[`, "invalid JSON Feed"},
		{"binary", "\x00\x01\x02\x03\xff\xfe\xfd", "not XML or JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, err := Parse([]byte(tt.body), ParseOptions{FeedName: "f", Now: testNow})
			if err == nil {
				t.Fatalf("want an error, got %d headlines", len(hs))
			}
			if !errors.Is(err, ErrNotFeed) {
				t.Errorf("error %q does not wrap ErrNotFeed", err)
			}
			if !strings.Contains(err.Error(), tt.why) || !strings.HasPrefix(err.Error(), "parse f: ") {
				t.Errorf("error %q should start with %q and say %q", err, "parse f: ", tt.why)
			}
		})
	}

	// A broken feed is a feed that failed to parse, not a non-feed.
	_, err := Parse([]byte(`<rss version="2.0"><channel><item><title>a &#26; b</title></item></channel></rss>`), ParseOptions{})
	if err == nil || errors.Is(err, ErrNotFeed) {
		t.Errorf("broken rss: err = %v", err)
	}
}

func TestParseTruncated(t *testing.T) {
	tests := []struct {
		name, body string
		titles     []string
	}{
		{"rss cut inside an item", `<rss version="2.0"><channel><title>x</title><item><title>One</title></item><item><title>Two</title><link>https://e.com/2</link></item><item><title>Disney to acq`, []string{"One", "Two"}},
		{"rss cut in an end tag", `<rss version="2.0"><channel><item><title>One</title></item></channel></rss`, []string{"One"}},
		{"rss cut after an item", "<rss version=\"2.0\"><channel><item><title>One</title></item>\n", []string{"One"}},
		{"cut inside cdata", `<rss version="2.0"><channel><item><title>One</title></item><item><title><![CDATA[cut`, []string{"One"}},
		{"atom cut inside an entry", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title><id>1</id></entry><entry><title>B</title><id>2</id><summary>half`, []string{"A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, err := Parse([]byte(tt.body), ParseOptions{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hs {
				got = append(got, h.Title)
			}
			if strings.Join(got, "|") != strings.Join(tt.titles, "|") {
				t.Errorf("titles = %q, want %q", got, tt.titles)
			}
		})
	}
}

func TestRegistrableDomain(t *testing.T) {
	tests := map[string]string{
		"http://news.bbc.co.uk/1/hi/world/123.stm": "bbc.co.uk",
		"https://www.reuters.com/markets":          "reuters.com",
		"https://WWW.FT.COM.":                      "ft.com",
		"https://feeds.a.example.com.au:8443/x":    "example.com.au",
		"https://user:pw@sec.gov/x":                "sec.gov",
		"http://127.0.0.1:8080/feed":               "127.0.0.1",
		"http://[::1]/feed":                        "::1",
		"http://localhost/feed":                    "localhost",
		"https://co.uk/":                           "co.uk",
		"/relative/path":                           "",
		"":                                         "",
		"::not a url":                              "",
	}
	for in, want := range tests {
		if got := RegistrableDomain(in); got != want {
			t.Errorf("RegistrableDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  plain   text\n\twith\u00a0spaces ", "plain text with spaces"},
		{"a &amp; b &lt; c &gt; &#39;d&#39; &hellip;", "a & b < c > 'd' …"},
		{"literal &lt;b&gt;tags&lt;/b&gt; go", "literal tags go"},
		{"<p>one</p><p>two</p><b>th</b>ree", "one two three"},
		{"x <style>.a{}</style><script>evil()</script>y", "x y"},
		{"double &amp;amp; escaped &amp;#8217;", "double & escaped ’"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"ctrl\x00\x07chars\u200b!", "ctrl chars!"},
		{"x < y and y > z", "x < y and y > z"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in, 100); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := cleanText("abcdef", 4); got != "abc…" {
		t.Errorf("cut = %q", got)
	}
}
