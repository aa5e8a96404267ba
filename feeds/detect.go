package feeds

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/mmcdole/gofeed"
)

// detectWindow is how much of a document detect first looks at; the root element of real feeds
// is well within it.
const detectWindow = 16 << 10

// detect names the feed format of a UTF-8 document, or explains why it is not a feed.
func detect(b []byte) (gofeed.FeedType, error) {
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	if len(trimmed) == 0 {
		return gofeed.FeedTypeUnknown, fmt.Errorf("%w: empty document", ErrNotFeed)
	}
	switch trimmed[0] {
	case '{':
		return gofeed.FeedTypeJSON, nil
	case '<':
	case '[':
		return gofeed.FeedTypeUnknown, fmt.Errorf("%w: a JSON array, not a JSON Feed object", ErrNotFeed)
	default:
		return gofeed.FeedTypeUnknown, fmt.Errorf("%w: document starts with %q, not XML or JSON", ErrNotFeed, preview(trimmed))
	}
	if t, ok := quickDetect(trimmed); ok {
		return t, nil
	}
	t := gofeed.DetectFeedType(bytes.NewReader(trimmed[:min(len(trimmed), detectWindow)]))
	if t == gofeed.FeedTypeUnknown && len(trimmed) > detectWindow {
		t = gofeed.DetectFeedType(bytes.NewReader(trimmed))
	}
	if t != gofeed.FeedTypeUnknown {
		return t, nil
	}
	root, err := rootElement(trimmed)
	switch {
	case err != nil:
		return t, fmt.Errorf("%w: XML is not well-formed before the root element: %v", ErrNotFeed, err)
	case root == "":
		return t, fmt.Errorf("%w: XML document has no root element", ErrNotFeed)
	case strings.EqualFold(root, "html"):
		return t, fmt.Errorf("%w: an HTML page (root element <html>), not RSS, Atom or JSON Feed", ErrNotFeed)
	default:
		return t, fmt.Errorf("%w: XML root element <%s> is not <rss>, <rdf:RDF> or <feed>", ErrNotFeed, root)
	}
}

// quickDetect is gofeed.DetectFeedType for the usual document: it finds the root element with
// the fast parser's scanner, which reads the prologue exactly as encoding/xml does. It gives up
// (ok false) whenever the answer could differ: markup the scanner declines or rejects, control
// characters or U+FFFE/U+FFFF before the root (the Decoder rejects those in text; the scanner
// relies on their having been filtered), or a root that is not a feed.
func quickDetect(b []byte) (t gofeed.FeedType, ok bool) {
	s := newXMLScanner(b)
	for {
		if err := s.next(); err != nil {
			return gofeed.FeedTypeUnknown, false
		}
		if s.kind == xStart {
			break
		}
	}
	prologue := b[:s.offset()]
	if bytes.Contains(prologue, nonCharFFFE) || bytes.Contains(prologue, nonCharFFFF) {
		return gofeed.FeedTypeUnknown, false
	}
	for _, c := range prologue {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return gofeed.FeedTypeUnknown, false
		}
	}
	switch strings.ToLower(string(s.local)) {
	case "rss", "rdf":
		return gofeed.FeedTypeRSS, true
	case "feed":
		return gofeed.FeedTypeAtom, true
	}
	return gofeed.FeedTypeUnknown, false
}

// preview returns the first few runes of b for an error message.
func preview(b []byte) string {
	s := strings.ToValidUTF8(string(b[:min(len(b), 24)]), "?")
	return s
}

// rootElement returns the local name of the first element of an XML document.
func rootElement(b []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(string, io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("unexpected encoding declaration")
	}
	for i := 0; i < 10000; i++ {
		tok, err := d.RawToken()
		if err == io.EOF {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local, nil
		}
	}
	return "", fmt.Errorf("no element in the first 10000 tokens")
}
