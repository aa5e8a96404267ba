package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The fast parser reads RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 off the token stream of xmlScanner
// (xmlscan.go), which tokenizes exactly as encoding/xml does with gofeed's settings, and keeps
// only what a Headline needs, skipping everything else. It reproduces the gofeed path exactly:
// the same tokens, errors and element boundaries; the same namespace resolution (including
// gofeed's choice of extension prefixes) and xml:base handling; the same element-to-field rules
// of gofeed's parsers and translators (last <title> wins, dc:date after an unparseable pubDate,
// Atom's first rel="alternate" link, ...); and gofeed's own text handling applied to the same
// raw inner XML (gofeedcompat.go). What the scanner does not handle it refuses, and Parse falls
// back to gofeed: markup encoding/xml's lenient mode would repair (mismatched end tags, attributes
// without quoted values), non-ASCII element or attribute names, a declared encoding other than
// UTF-8, U+FFFE or U+FFFF anywhere, a root other than <rss>, <rdf:RDF> or <feed>, and any syntax
// error. A truncated document is repaired and parsed again, as on the gofeed path.
//
// TestFastParseMatchesGofeed holds the two paths to the same headlines over the corpus,
// TestFastParseSeeds over hand-written documents, and FuzzFastParse over whatever the fuzzer
// finds.

// errFastUnsupported marks a document the fast parser leaves to gofeed.
var errFastUnsupported = errors.New("fast parser: unsupported construct")

// nsDecl is one namespace declaration in scope; uri is the attribute's value as written (after
// entity decoding), as encoding/xml keeps it.
type nsDecl struct{ prefix, uri string }

// fastParser walks one XML document.
type fastParser struct {
	s     *xmlScanner
	ns    []nsDecl   // declarations in scope along the path of open elements the parser interprets
	bases []*url.URL // the xml:base of each of those elements; nil for none
}

// U+FFFE and U+FFFF are not XML characters: encoding/xml rejects them in text.
var (
	nonCharFFFE = []byte("\uFFFE")
	nonCharFFFF = []byte("\uFFFF")
)

func newFastParser(data []byte) (*fastParser, error) {
	data = dropControlChars(data)
	if bytes.Contains(data, nonCharFFFE) || bytes.Contains(data, nonCharFFFF) {
		return nil, errFastUnsupported
	}
	return &fastParser{s: newXMLScanner(data)}, nil
}

// dropControlChars removes the C0 control bytes that are illegal in XML (all below 0x20 but tab,
// LF and CR), as gofeed's reader filter does. data is returned as is when it has none.
func dropControlChars(data []byte) []byte {
	i := 0
	for i < len(data) && (data[i] >= 0x20 || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	if i == len(data) {
		return data
	}
	out := make([]byte, i, len(data))
	copy(out, data[:i])
	for _, c := range data[i:] {
		if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
			out = append(out, c)
		}
	}
	return out
}

// root reads up to the first start element.
func (p *fastParser) root() error {
	for {
		if err := p.s.next(); err != nil {
			return err
		}
		if p.s.kind == xStart {
			return nil
		}
	}
}

// open records the namespace declarations and the xml:base of the current start element, which
// the parser interprets. It returns the mark to pass to close once the element is consumed.
func (p *fastParser) open() int {
	mark := len(p.ns)
	hasBase := false
	for i := range p.s.attrs {
		a := &p.s.attrs[i]
		switch {
		case string(a.prefix) == "xmlns":
			p.ns = append(p.ns, nsDecl{string(a.local), decodeXMLText(a.raw, false)})
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
			p.ns = append(p.ns, nsDecl{"", decodeXMLText(a.raw, false)})
		case len(a.prefix) > 0 && string(a.local) == "base":
			hasBase = true
		}
	}
	var base *url.URL
	if len(p.bases) > 0 {
		base = p.bases[len(p.bases)-1]
	}
	if hasBase {
		base = p.xmlBase(base)
	}
	p.bases = append(p.bases, base)
	return mark
}

// xmlBase is goxpp's pushBase: the element's xml:base resolved against its parent's, or the
// parent's when it has none (or one that does not parse).
func (p *fastParser) xmlBase(parent *url.URL) *url.URL {
	for i := range p.s.attrs {
		a := &p.s.attrs[i]
		if string(a.local) != "base" || p.attrSpace(a) != xmlNS {
			continue
		}
		raw := decodeXMLText(a.raw, false)
		if raw == "" {
			return parent
		}
		u, err := url.Parse(raw)
		if err != nil {
			return parent
		}
		if parent != nil {
			u = parent.ResolveReference(u)
		}
		return u
	}
	return parent
}

// base is the xml:base in scope for the current element.
func (p *fastParser) base() *url.URL {
	return p.bases[len(p.bases)-1]
}

// close forgets the declarations and base of an element opened at mark.
func (p *fastParser) close(mark int) {
	p.ns = p.ns[:mark]
	p.bases = p.bases[:len(p.bases)-1]
}

// lookup is the namespace a prefix is bound to.
func (p *fastParser) lookup(prefix string) (string, bool) {
	for j := len(p.ns) - 1; j >= 0; j-- {
		if p.ns[j].prefix == prefix {
			return p.ns[j].uri, true
		}
	}
	return "", false
}

// space is the namespace encoding/xml gives the current element's name.
func (p *fastParser) space() string {
	prefix := p.s.prefix
	switch string(prefix) {
	case "xmlns":
		return "xmlns"
	case "xml":
		return xmlNS
	}
	if uri, ok := p.lookup(string(prefix)); ok {
		return uri
	}
	return string(prefix)
}

// inSpaces reports whether the current element's namespace is one of spaces.
func (p *fastParser) inSpaces(spaces []string) bool {
	space := strings.TrimSpace(p.space())
	for _, s := range spaces {
		if space == s {
			return true
		}
	}
	return false
}

// localIs reports whether the current element's local name is name, ignoring ASCII case (names
// are ASCII: the scanner declines others).
func (p *fastParser) localIs(name string) bool {
	return len(p.s.local) == len(name) && strings.EqualFold(string(p.s.local), name)
}

// prefixFor is gofeed's PrefixForNamespace: the canonical prefix of a well-known namespace, else
// the prefix the document most recently bound to it, else the namespace itself (which is the
// raw prefix when the prefix was never declared).
func (p *fastParser) prefixFor(space string) string {
	space = strings.TrimSpace(space)
	if prefix, ok := gofeedCanonicalNS[space]; ok {
		return prefix
	}
	for j := len(p.ns) - 1; j >= 0; j-- {
		if strings.TrimSpace(p.ns[j].uri) != space {
			continue
		}
		if uri, _ := p.lookup(p.ns[j].prefix); strings.TrimSpace(uri) == space {
			if p.ns[j].prefix != "" {
				return p.ns[j].prefix
			}
			break
		}
	}
	return space
}

// skip consumes the rest of the current element.
func (p *fastParser) skip() error {
	depth := p.s.depth() - 1
	for {
		if err := p.s.next(); err != nil {
			return err
		}
		if p.s.kind == xEnd && p.s.depth() == depth {
			return nil
		}
	}
}

// inner consumes the rest of the current element and returns its raw inner XML, exactly what
// encoding/xml's ",innerxml" (and so gofeed) sees.
func (p *fastParser) inner() ([]byte, error) {
	start := p.s.offset()
	depth := p.s.depth() - 1
	for {
		off := p.s.offset()
		if err := p.s.next(); err != nil {
			return nil, err
		}
		if p.s.kind == xEnd && p.s.depth() == depth {
			return p.s.data[start:off], nil
		}
	}
}

// text consumes the current element and returns its text as gofeed's ParseText does.
func (p *fastParser) text() (string, error) {
	in, err := p.inner()
	if err != nil {
		return "", err
	}
	return gofeedText(in), nil
}

// extText consumes the current element and returns the value gofeed gives an extension
// element: its own character data (not its children's), trimmed.
func (p *fastParser) extText() (string, error) {
	var sb strings.Builder
	depth := p.s.depth()
	for {
		if err := p.s.next(); err != nil {
			return "", err
		}
		switch {
		case p.s.kind == xEnd && p.s.depth() == depth-1:
			return strings.TrimSpace(sb.String()), nil
		case p.s.kind == xText && p.s.depth() == depth:
			sb.WriteString(decodeXMLText(p.s.text, p.s.cdata))
		}
	}
}

// attrSpace is the namespace encoding/xml gives an attribute's name.
func (p *fastParser) attrSpace(a *xattr) string {
	switch string(a.prefix) {
	case "":
		return ""
	case "xmlns":
		return "xmlns"
	case "xml":
		return xmlNS
	}
	if uri, ok := p.lookup(string(a.prefix)); ok {
		return uri
	}
	return string(a.prefix)
}

// attribute is goxpp's Parser.Attribute on the current element: the first un-namespaced
// attribute with the local name, else the first namespaced one, else "".
func (p *fastParser) attribute(name string) string {
	v, _ := p.attributeOK(name)
	return v
}

// attributeOK is attribute, also telling whether there was one.
func (p *fastParser) attributeOK(name string) (string, bool) {
	var fallback *xattr
	for i := range p.s.attrs {
		a := &p.s.attrs[i]
		if string(a.local) != name {
			continue
		}
		if len(a.prefix) == 0 || p.attrSpace(a) == "" {
			return decodeXMLText(a.raw, false), true
		}
		if fallback == nil {
			fallback = a
		}
	}
	if fallback != nil {
		return decodeXMLText(fallback.raw, false), true
	}
	return "", false
}

// lastAttribute is how encoding/xml fills an `xml:"name,attr"` field, and how gofeed fills an
// extension element's Attrs: from the last attribute with the local name, whatever its
// namespace.
func (p *fastParser) lastAttribute(name string) string {
	v, _ := p.lastAttributeOK(name)
	return v
}

// lastAttributeOK is lastAttribute, also telling whether there was one.
func (p *fastParser) lastAttributeOK(name string) (string, bool) {
	for i := len(p.s.attrs) - 1; i >= 0; i-- {
		if a := &p.s.attrs[i]; string(a.local) == name {
			return decodeXMLText(a.raw, false), true
		}
	}
	return "", false
}

// uriAttribute is attribute for an attribute gofeed resolves as a URI (href, src, scheme, uri).
func (p *fastParser) uriAttribute(name string) string {
	if v, ok := p.attributeOK(name); ok {
		return resolveAttrValue(p.base(), v)
	}
	return ""
}

// parseDateUTC is gofeed's date parse, in UTC; nil when the text does not parse.
func parseDateUTC(text string) *time.Time {
	t, err := gofeedParseDate(text)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

// fast parses an RSS or Atom document with the fast parser. Like the gofeed path, it repairs a
// truncated document and parses it again. On error nothing has been added to b.
func (b *builder) fast(data []byte, atom bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: fast parser: %v", errParserPanic, r)
		}
	}()
	err = b.fastOnce(data, atom)
	if isTruncation(err) {
		if fixed := repairTruncated(data); fixed != nil {
			err = b.fastOnce(fixed, atom)
		}
	}
	return err
}

// fastOnce is one attempt of fast.
func (b *builder) fastOnce(data []byte, atom bool) error {
	p, err := newFastParser(data)
	if err != nil {
		return err
	}
	if err := p.root(); err != nil {
		return err
	}
	p.open()
	var link string
	var items []rawItem
	if atom {
		link, items, err = p.atomFeed()
	} else {
		link, items, err = p.rssFeed()
	}
	if err != nil {
		return err
	}
	b.setFeed(link)
	for _, r := range items {
		b.add(r)
	}
	return nil
}

// children calls handle for each child element of the current element, opened (namespace
// declarations and xml:base recorded); handle must consume the child. It returns at the
// element's end tag.
func (p *fastParser) children(handle func() error) error {
	depth := p.s.depth()
	for {
		if err := p.s.next(); err != nil {
			return err
		}
		switch p.s.kind {
		case xEnd:
			if p.s.depth() < depth {
				return nil
			}
		case xStart:
			mark := p.open()
			if err := handle(); err != nil {
				return err
			}
			p.close(mark)
		}
	}
}

// rssNative are the namespaces whose elements gofeed's RSS parser treats as RSS.
var rssNative = []string{"", "rss", "rdf", rdfNS, rss10NS, rss09NS, rss09AltNS}

// rssFeed reads an <rss> or <rdf:RDF> document: the items of its (last) channel, then those
// directly under the root, and the channel's home page link.
func (p *fastParser) rssFeed() (string, []rawItem, error) {
	if !p.localIs("rss") && !p.localIs("rdf") {
		return "", nil, errFastUnsupported
	}
	native := rssNative
	if space := strings.TrimSpace(p.space()); space != "" {
		if _, canonical := gofeedCanonicalNS[space]; !canonical {
			native = append([]string{space}, rssNative...)
		}
	}
	ch := &rssChannel{}
	var rootItems []rawItem
	err := p.children(func() error {
		switch {
		case !p.inSpaces(native):
			return p.skip()
		case p.localIs("channel"):
			c, err := p.rssChannel(native)
			if err == nil {
				ch = c
			}
			return err
		case p.localIs("item"):
			it, err := p.rssItem(native)
			if err == nil {
				rootItems = append(rootItems, it)
			}
			return err
		}
		return p.skip()
	})
	if err != nil {
		return "", nil, err
	}
	return ch.homeLink(), append(ch.items, rootItems...), nil
}

// rssChannel is what a channel contributes.
type rssChannel struct {
	link      string // the last <link>
	atomLinks [3][]string
	items     []rawItem
}

// atomKeys are the extension prefixes gofeed's translator reads Atom elements in RSS from.
var atomKeys = [3]string{"atom", "atom10", "atom03"}

func atomKeyIndex(prefix string) int {
	for i, k := range atomKeys {
		if prefix == k {
			return i
		}
	}
	return -1
}

// homeLink is gofeed's translateFeedLink: <link>, else the first atom:link whose rel is empty or
// "alternate".
func (c *rssChannel) homeLink() string {
	if c.link != "" {
		return c.link
	}
	for _, links := range c.atomLinks {
		if len(links) > 0 {
			return links[0]
		}
	}
	return ""
}

func (p *fastParser) rssChannel(native []string) (*rssChannel, error) {
	ch := &rssChannel{}
	err := p.children(func() error {
		switch {
		case !p.inSpaces(native):
			if string(p.s.local) == "link" {
				if k := atomKeyIndex(p.prefixFor(p.space())); k >= 0 {
					if rel := p.lastAttribute("rel"); rel == "" || rel == "alternate" {
						href, ok := p.lastAttributeOK("href")
						if ok {
							href = resolveAttrValue(p.base(), href)
						}
						ch.atomLinks[k] = append(ch.atomLinks[k], href)
					}
				}
			}
			return p.skip()
		case p.localIs("link"):
			l, err := p.rssLink()
			ch.link = l
			return err
		case p.localIs("item"):
			it, err := p.rssItem(native)
			if err == nil {
				ch.items = append(ch.items, it)
			}
			return err
		}
		return p.skip()
	})
	return ch, err
}

// rssLink reads a <link>: its text, else its href attribute, resolved against xml:base.
func (p *fastParser) rssLink() (string, error) {
	base := p.base()
	href := p.uriAttribute("href")
	s, err := p.text()
	if err != nil {
		return "", err
	}
	if s == "" && href != "" {
		s = href
	}
	return resolveURLIfBase(base, s), nil
}

// extValue is the first value of an extension element, if there was one.
type extValue struct {
	set bool
	v   string
}

func (e *extValue) setFirst(v string) {
	if !e.set {
		e.set, e.v = true, v
	}
}

// rssItemFields are the parts of an RSS item gofeed's translator draws on.
type rssItemFields struct {
	title, description, content string
	link                        string
	links                       []string
	guid, guidPermalink         string
	hasGUID                     bool
	pubDate                     string
	pubDateParsed               *time.Time
	hasSource                   bool
	sourceURL, sourceTitle      string
	dcTitle, dcDescription      extValue
	dcDate, itunesSummary       extValue
	atom                        [3]struct{ summary, content, published, updated extValue }
	edgar                       map[string]string
}

// atomValue is gofeed's atomExtValue: the first Atom element of that name under the atom,
// atom10 or atom03 prefix.
func (f *rssItemFields) atomValue(name string) string {
	for i := range f.atom {
		a := &f.atom[i]
		var e *extValue
		switch name {
		case "summary":
			e = &a.summary
		case "content":
			e = &a.content
		case "published":
			e = &a.published
		case "updated":
			e = &a.updated
		}
		if e.set {
			return e.v
		}
	}
	return ""
}

func (p *fastParser) rssItem(native []string) (rawItem, error) {
	var f rssItemFields
	err := p.children(func() error {
		var err error
		switch {
		case p.localIs("encoded") && p.prefixFor(p.space()) == "content":
			f.content, err = p.text()
		case !p.inSpaces(native):
			err = p.rssItemExtension(&f)
		case p.localIs("title"):
			f.title, err = p.text()
		case p.localIs("description"):
			f.description, err = p.text()
		case p.localIs("link"):
			var l string
			if l, err = p.rssLink(); err == nil {
				f.link = l
				f.links = append(f.links, l)
			}
		case p.localIs("pubdate"):
			if f.pubDate, err = p.text(); err == nil {
				if t := parseDateUTC(f.pubDate); t != nil {
					f.pubDateParsed = t
				}
			}
		case p.localIs("source"):
			f.hasSource = true
			f.sourceURL = p.attribute("url")
			f.sourceTitle, err = p.text()
		case p.localIs("guid"):
			f.hasGUID = true
			f.guidPermalink = p.attribute("isPermaLink")
			if f.guidPermalink == "" {
				f.guidPermalink = p.attribute("isPermalink")
			}
			if f.guidPermalink == "" {
				f.guidPermalink = "true"
			}
			f.guid, err = p.text()
		default:
			err = p.skip()
		}
		return err
	})
	if err != nil {
		return rawItem{}, err
	}
	return f.raw(), nil
}

// rssItemExtension reads the extension elements the translator uses (dc:title, dc:description,
// dc:date, itunes:summary, Atom summary, content, published and updated, EDGAR's xbrlFiling) and
// skips the rest.
func (p *fastParser) rssItemExtension(f *rssItemFields) error {
	local := string(p.s.local)
	var dst *extValue
	switch prefix := p.prefixFor(p.space()); {
	case prefix == "dc":
		switch local {
		case "title":
			dst = &f.dcTitle
		case "description":
			dst = &f.dcDescription
		case "date":
			dst = &f.dcDate
		}
	case prefix == "itunes" && local == "summary":
		dst = &f.itunesSummary
	case atomKeyIndex(prefix) >= 0:
		a := &f.atom[atomKeyIndex(prefix)]
		switch local {
		case "summary":
			dst = &a.summary
		case "content":
			dst = &a.content
		case "published":
			dst = &a.published
		case "updated":
			dst = &a.updated
		}
	case local == "xbrlFiling" && f.edgar == nil:
		form, accession, filed, err := p.xbrlFiling()
		if err != nil {
			return err
		}
		f.edgar = edgarFilingFields(form, accession, filed)
		return nil
	}
	if dst == nil || dst.set {
		return p.skip()
	}
	v, err := p.extText()
	if err != nil {
		return err
	}
	dst.setFirst(v)
	return nil
}

// xbrlFiling consumes an <edgar:xbrlFiling> and returns the values of its first formType,
// accessionNumber and filingDate children.
func (p *fastParser) xbrlFiling() (form, accession, filed string, err error) {
	var vals [3]extValue
	depth := p.s.depth()
	for {
		if err := p.s.next(); err != nil {
			return "", "", "", err
		}
		switch p.s.kind {
		case xEnd:
			if p.s.depth() < depth {
				return vals[0].v, vals[1].v, vals[2].v, nil
			}
		case xStart:
			k := -1
			switch string(p.s.local) {
			case "formType":
				k = 0
			case "accessionNumber":
				k = 1
			case "filingDate":
				k = 2
			}
			var err error
			if k < 0 || vals[k].set {
				err = p.skip()
			} else {
				var v string
				if v, err = p.extText(); err == nil {
					vals[k].setFirst(v)
				}
			}
			if err != nil {
				return "", "", "", err
			}
		}
	}
}

// raw applies gofeed's RSS translator rules and the RSS specifics of builder.rss.
func (f *rssItemFields) raw() rawItem {
	title := f.title
	if title == "" && f.dcTitle.set {
		title = f.dcTitle.v
	}
	desc := ""
	switch {
	case f.description != "":
		desc = f.description
	case f.dcDescription.set:
		desc = f.dcDescription.v
	case f.itunesSummary.set && f.itunesSummary.v != "":
		desc = f.itunesSummary.v
	}
	if desc == "" {
		desc = f.atomValue("summary")
	}
	content := f.content
	if content == "" {
		content = f.atomValue("content")
	}

	published := f.pubDate
	if published == "" {
		if f.dcDate.set {
			published = f.dcDate.v
		} else {
			published = f.atomValue("published")
		}
	}
	publishedParsed := f.pubDateParsed
	if publishedParsed == nil {
		text := ""
		if f.dcDate.set {
			text = f.dcDate.v
		}
		if text == "" {
			text = f.atomValue("published")
		}
		if text != "" {
			if t, err := gofeedParseDate(text); err == nil {
				publishedParsed = &t
			}
		}
	}
	updated := ""
	if f.dcDate.set {
		updated = f.dcDate.v
	}
	if updated == "" {
		updated = f.atomValue("updated")
	}
	var updatedParsed *time.Time
	if updated != "" {
		if t, err := gofeedParseDate(updated); err == nil {
			updatedParsed = &t
		}
	}

	r := rawItem{
		title:     title,
		summary:   desc,
		content:   content,
		link:      f.link,
		links:     f.links,
		published: publishedParsed,
		updated:   updatedParsed,
		dateText:  []string{published, updated},
	}
	if f.hasGUID {
		r.guid = f.guid
	}
	if f.edgar != nil {
		fields := f.edgar
		r.fields = func(string) map[string]string { return fields }
	}
	if f.hasSource {
		r.sourceURL, r.sourceName = f.sourceURL, f.sourceTitle
	}
	if r.link == "" && len(r.links) == 0 && f.hasGUID && !strings.EqualFold(strings.TrimSpace(f.guidPermalink), "false") {
		if g := strings.TrimSpace(f.guid); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
			r.link = g
		}
	}
	return r
}

// atomNative are the namespaces whose elements gofeed's Atom parser treats as Atom.
var atomNative = []string{"", atom10NS, atom03NS}

// atomFeed reads a <feed> document: its entries and its first rel="alternate" link.
func (p *fastParser) atomFeed() (string, []rawItem, error) {
	if !p.localIs("feed") {
		return "", nil, errFastUnsupported
	}
	var link string
	haveLink := false
	var items []rawItem
	err := p.children(func() error {
		switch {
		case !p.inSpaces(atomNative):
		case p.localIs("link"):
			if rel := p.attribute("rel"); !haveLink && (rel == "" || rel == "alternate") {
				link, haveLink = p.uriAttribute("href"), true
			}
		case p.localIs("entry"):
			it, err := p.atomEntry()
			if err == nil {
				items = append(items, it)
			}
			return err
		}
		return p.skip()
	})
	if err != nil {
		return "", nil, err
	}
	return link, items, nil
}

// atomText consumes an Atom text construct and returns its text as gofeed does.
func (p *fastParser) atomText() (string, error) {
	name, typ, mode, base := string(p.s.local), p.lastAttribute("type"), p.lastAttribute("mode"), p.base()
	in, err := p.inner()
	if err != nil {
		return "", err
	}
	return atomText(name, typ, mode, base, in), nil
}

func (p *fastParser) atomEntry() (rawItem, error) {
	var (
		title, summary, id, content string
		published, updated          string
		publishedParsed             *time.Time
		updatedParsed               *time.Time
		link                        string
		haveLink                    bool
		links                       []string
		cats                        []edgarCategory
	)
	err := p.children(func() error {
		if !p.inSpaces(atomNative) {
			return p.skip()
		}
		var err error
		switch {
		case p.localIs("title"):
			title, err = p.atomText()
		case p.localIs("id"):
			id, err = p.atomText()
		case p.localIs("summary"):
			summary, err = p.atomText()
		case p.localIs("content"):
			content, err = p.atomText()
		case p.localIs("updated") || p.localIs("modified"):
			if updated, err = p.atomText(); err == nil {
				updatedParsed = parseDateUTC(updated)
			}
		case p.localIs("published") || p.localIs("issued"):
			if published, err = p.atomText(); err == nil {
				publishedParsed = parseDateUTC(published)
			}
		case p.localIs("link"):
			rel := p.attribute("rel")
			if rel == "" {
				rel = "alternate"
			}
			href := p.uriAttribute("href")
			if rel == "alternate" && !haveLink {
				link, haveLink = href, true
			}
			if rel == "alternate" || rel == "self" {
				links = append(links, href)
			}
			err = p.skip()
		case p.localIs("category"):
			cats = append(cats, edgarCategory{
				term:   p.attribute("term"),
				scheme: p.uriAttribute("scheme"),
				label:  p.attribute("label"),
			})
			err = p.skip()
		default:
			err = p.skip()
		}
		return err
	})
	if err != nil {
		return rawItem{}, err
	}
	r := rawItem{
		title:     title,
		summary:   summary,
		content:   content,
		link:      link,
		links:     links,
		guid:      id,
		published: publishedParsed,
		updated:   updatedParsed,
	}
	if r.published == nil {
		r.published = updatedParsed
	}
	pubText := published
	if pubText == "" {
		pubText = updated
	}
	r.dateText = []string{pubText, updated}
	r.fields = func(summary string) map[string]string { return edgarAtomFields(content, id, cats, summary) }
	return r, nil
}
