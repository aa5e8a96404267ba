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
