package feeds

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// repairTruncated makes a cut-off XML feed parseable: it drops the last, incomplete <item> or
// <entry> (a half-received item could carry a half title, which is worse than none) and anything
// after the last complete token, then closes the elements still open. It returns nil when the
// document does not look truncated (nothing is left open).
func repairTruncated(data []byte) []byte {
	type open struct {
		name string
		off  int64
	}
	var stack []open
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	var good int64
	for {
		off := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		good = d.InputOffset()
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, open{qualified(t.Name), off})
		case xml.EndElement:
			name := qualified(t.Name)
			for j := len(stack) - 1; j >= 0; j-- {
				if stack[j].name == name {
					stack = stack[:j]
					break
				}
			}
		}
	}
	if len(stack) == 0 {
		return nil
	}
	cut := good
	for k, o := range stack {
		if local := strings.ToLower(o.name[strings.IndexByte(o.name, ':')+1:]); local == "item" || local == "entry" {
			cut, stack = o.off, stack[:k]
			break
		}
	}
	if len(stack) == 0 {
		return nil
	}
	out := make([]byte, 0, int(cut)+len(stack)*16)
	out = append(out, data[:cut]...)
	for j := len(stack) - 1; j >= 0; j-- {
		out = append(out, "</"...)
		out = append(out, stack[j].name...)
		out = append(out, '>')
	}
	return out
}

// qualified is an element name as written: "prefix:local" or "local".
func qualified(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// isTruncation reports whether a parse error means the document ended too soon.
func isTruncation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "unexpected EOF")
}
