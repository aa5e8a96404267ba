package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	gjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// ErrNotFeed is wrapped by the errors Parse returns for documents that are not RSS, Atom or JSON
// Feed (an HTML page, an empty body, an unknown XML vocabulary, ...).
var ErrNotFeed = errors.New("not a feed")

// errParserPanic marks a panic inside a parser, recovered by Parse; tests look for it.
var errParserPanic = errors.New("internal error")

// ParseOptions describe where a feed document came from.
type ParseOptions struct {
	// FeedURL is the URL the document was fetched from. It resolves relative links, supplies
	// Source for items without a link, and identifies Google News feeds. It may be empty.
	FeedURL string
	// FeedName is the configured feed's name, copied to Headline.Feed.
	FeedName string
	// ContentType is the HTTP Content-Type header; its charset is used when the document's own
	// bytes and declaration do not settle the encoding.
	ContentType string
	// Now is the time the document was fetched: Headline.FirstSeen, and Published for items
	// without a date. Zero means time.Now().
	Now time.Time
}

// Shared parsers and translators: all are stateless, so safe for concurrent use. The RSS
// translator skips its per-item HTML parse that looks for images, which headlines never use.
var (
	rssTranslator  = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	atomTranslator = &gofeed.DefaultAtomTranslator{}
	jsonTranslator = &gofeed.DefaultJSONTranslator{}
)

// Parse turns a feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed, in any common
// encoding) into headlines, in document order, without duplicates. Items with neither title nor
// description are skipped. A truncated XML feed yields its complete items. Documents that are not feeds give an error wrapping ErrNotFeed; a
// feed without items gives no headlines and no error. Parse never panics.
//
// RSS and Atom are read by a fast parser (fastparse.go) that gives exactly the headlines the
// gofeed parsers would; the documents it declines, and JSON Feed, go to gofeed.
func Parse(body []byte, opts ParseOptions) ([]Headline, error) {
	return parseChecked(body, opts, parseAuto)
}

// parseChecked is Parse with a choice of XML parser.
func parseChecked(body []byte, opts ParseOptions, mode parseMode) (hs []Headline, err error) {
	name := opts.FeedName
	if name == "" {
		name = redactURL(opts.FeedURL)
	}
	if name == "" {
		name = "feed"
	}
	defer func() {
		if r := recover(); r != nil {
			hs, err = nil, fmt.Errorf("parse %s: %w: %v", name, errParserPanic, r)
		}
	}()
	hs, err = parse(body, opts, mode)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	return hs, nil
}

// parseMode chooses the XML parser; tests and benchmarks compare the two.
type parseMode int

const (
	parseAuto   parseMode = iota // the fast parser, falling back to gofeed when it declines
	parseFast                    // the fast parser alone; its errors are returned
	parseGofeed                  // gofeed alone
)

// parse does Parse's work.
func parse(body []byte, opts ParseOptions, mode parseMode) ([]Headline, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%w: empty document", ErrNotFeed)
	}
	data := toUTF8(body, opts.ContentType)
	kind, err := detect(data)
	if err != nil {
		return nil, err
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	b := newBuilder(opts)
	if (kind == gofeed.FeedTypeRSS || kind == gofeed.FeedTypeAtom) && mode != parseGofeed {
		err := b.fast(data, kind == gofeed.FeedTypeAtom)
		if err == nil {
			return b.out, nil
		}
		if mode == parseFast {
			return nil, err
		}
		b = newBuilder(opts)
	}
	switch kind {
	case gofeed.FeedTypeRSS:
		err = b.rss(data)
	case gofeed.FeedTypeAtom:
		err = b.atom(data)
	case gofeed.FeedTypeJSON:
		err = b.json(data)
	}
	if err != nil {
		return nil, err
	}
	return b.out, nil
}

// builder accumulates the headlines of one document.
type builder struct {
	opts       ParseOptions
	now        time.Time
	base       *url.URL // for relative links; the feed's home page, else its URL
	feedDomain string   // Source for items without a link
	googleNews bool
	seen       map[string]bool
	out        []Headline
}

func newBuilder(opts ParseOptions) *builder {
	return &builder{opts: opts, now: opts.Now.UTC(), seen: make(map[string]bool)}
}

// setFeed records feed-level facts once the feed's home page link is known.
func (b *builder) setFeed(homeLink string) {
	homeLink = strings.TrimSpace(homeLink)
	feedURL, _ := url.Parse(strings.TrimSpace(b.opts.FeedURL))
	if feedURL != nil && !feedURL.IsAbs() {
		feedURL = nil
	}
	if home, err := url.Parse(homeLink); err == nil && home.IsAbs() {
		b.base = home
	} else if err == nil && feedURL != nil {
		b.base = feedURL.ResolveReference(home)
	} else {
		b.base = feedURL
	}
	b.feedDomain = RegistrableDomain(b.opts.FeedURL)
	if b.feedDomain == "" && b.base != nil {
		b.feedDomain = hostDomain(b.base.Hostname())
	}
	b.googleNews = hostOf(b.opts.FeedURL) == googleNewsHost || (b.base != nil && strings.EqualFold(b.base.Hostname(), googleNewsHost))
}

// rawItem is what the format-specific code hands to add.
type rawItem struct {
	title, summary, content string
	link                    string
	links                   []string
	guid                    string
	published, updated      *time.Time
	dateText                []string // unparsed date strings, tried when published and updated are nil
	sourceURL, sourceName   string   // RSS <source>
	fields                  func(summary string) map[string]string
}

func (b *builder) rss(data []byte) error {
	rf, err := (&rss.Parser{}).Parse(bytes.NewReader(data))
	if isTruncation(err) {
		if fixed := repairTruncated(data); fixed != nil {
			rf, err = (&rss.Parser{}).Parse(bytes.NewReader(fixed))
		}
	}
	if err != nil {
		return fmt.Errorf("rss: %w", err)
	}
	uf, err := rssTranslator.Translate(rf)
	if err != nil {
		return fmt.Errorf("rss: %w", err)
	}
	b.setFeed(uf.Link)
	for i, it := range uf.Items {
		if it == nil {
			continue
		}
		r := fromUniversal(it)
		if i < len(rf.Items) && rf.Items[i] != nil {
			ri := rf.Items[i]
			if ri.Extensions != nil {
				exts := ri.Extensions
				r.fields = func(string) map[string]string { return edgarRSSFields(exts) }
			}
			if ri.Source != nil {
				r.sourceURL, r.sourceName = ri.Source.URL, ri.Source.Title
			}
			// An item without <link> but with a permalink <guid> links to the guid.
			if r.link == "" && len(r.links) == 0 && ri.GUID != nil && !strings.EqualFold(strings.TrimSpace(ri.GUID.IsPermalink), "false") {
				if g := strings.TrimSpace(ri.GUID.Value); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
					r.link = g
				}
			}
		}
		b.add(r)
	}
	return nil
}

func (b *builder) atom(data []byte) error {
	af, err := (&atom.Parser{}).Parse(bytes.NewReader(data))
	if isTruncation(err) {
		if fixed := repairTruncated(data); fixed != nil {
			af, err = (&atom.Parser{}).Parse(bytes.NewReader(fixed))
		}
	}
	if err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	uf, err := atomTranslator.Translate(af)
	if err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	b.setFeed(uf.Link)
	for i, it := range uf.Items {
		if it == nil {
			continue
		}
		r := fromUniversal(it)
		if i < len(af.Entries) && af.Entries[i] != nil {
			e := af.Entries[i]
			r.fields = func(summary string) map[string]string { return edgarFields(e, summary) }
		}
		b.add(r)
	}
	return nil
}

func (b *builder) json(data []byte) error {
	jf, err := (&gjson.Parser{}).Parse(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: invalid JSON Feed: %v", ErrNotFeed, err)
	}
	if !strings.Contains(jf.Version, "jsonfeed.org") && jf.Items == nil {
		return fmt.Errorf("%w: JSON document has neither a JSON Feed version nor items", ErrNotFeed)
	}
	uf, err := jsonTranslator.Translate(jf)
	if err != nil {
		return fmt.Errorf("json feed: %w", err)
	}
	b.setFeed(uf.Link)
	for _, it := range uf.Items {
		if it != nil {
			b.add(fromUniversal(it))
		}
	}
	return nil
}

// fromUniversal copies the fields Parse uses from a translated item.
func fromUniversal(it *gofeed.Item) rawItem {
	return rawItem{
		title:     it.Title,
		summary:   it.Description,
		content:   it.Content,
		link:      it.Link,
		links:     it.Links,
		guid:      it.GUID,
		published: it.PublishedParsed,
		updated:   it.UpdatedParsed,
		dateText:  []string{it.Published, it.Updated},
	}
}

// add cleans one item and appends it unless it is empty or a duplicate.
func (b *builder) add(r rawItem) {
	summarySrc := r.summary
	if strings.TrimSpace(summarySrc) == "" {
		summarySrc = r.content
	}
	summary := cleanText(summarySrc, MaxSummaryRunes)
	title := cleanText(r.title, MaxTitleRunes)
	sourceName := cleanText(r.sourceName, 200)
	title = stripPublisherSuffix(title, sourceName, b.googleNews)
	if title == "" {
		title = cleanText(summary, 200)
	}
	if title == "" {
		return
	}

	link := r.link
	if strings.TrimSpace(link) == "" {
		for _, l := range r.links {
			if strings.TrimSpace(l) != "" {
				link = l
				break
			}
		}
	}
	link = cleanText(resolveLink(b.base, link), 4096)

	source := ""
	if r.sourceURL != "" {
		source = RegistrableDomain(resolveLink(b.base, r.sourceURL))
	}
	if source == "" && link != "" {
		source = RegistrableDomain(link)
	}
	if source == "" {
		source = b.feedDomain
	}

	h := Headline{
		Source:    source,
		Title:     title,
		Summary:   summary,
		Link:      link,
		FirstSeen: b.now,
		Feed:      b.opts.FeedName,
		GUID:      cleanText(r.guid, 2048),
	}
	if t, ok := itemDate(r); ok {
		h.Published = t
	} else {
		h.Published, h.DateMissing = b.now, true
	}
	if r.fields != nil {
		h.Fields = r.fields(summary)
	}
	h.ID = Key(h)
	if b.seen[h.ID] {
		return
	}
	b.seen[h.ID] = true
	b.out = append(b.out, h)
}

// itemDate picks an item's date: published, else updated, else one of its unparsed date strings
// that parseDate understands. Dates before 1971 are treated as missing.
func itemDate(r rawItem) (time.Time, bool) {
	for _, t := range []*time.Time{r.published, r.updated} {
		if t != nil && plausibleDate(*t) {
			return t.UTC(), true
		}
	}
	for _, s := range r.dateText {
		if t, ok := parseDate(s); ok && plausibleDate(t) {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// plausibleDate rejects zero and placeholder dates such as 0001-01-01 or the Unix epoch.
func plausibleDate(t time.Time) bool {
	return t.Year() > 1970
}
