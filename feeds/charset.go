package feeds

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// toUTF8 returns body as UTF-8, deciding its encoding from, in order: a byte order mark or the
// UTF-16/32 byte pattern of "<?"; the bytes themselves when they are valid UTF-8 with non-ASCII
// text (a declaration that disagrees with valid UTF-8 is nearly always a stale template); the
// XML declaration; the Content-Type charset; and finally UTF-8 with repairs when the bytes are
// mostly UTF-8, else windows-1252. When the text was converted or the XML declaration names an
// encoding other than UTF-8, the declaration's encoding is removed so the XML decoder does not
// convert a second time. Invalid sequences become U+FFFD; the result is always valid UTF-8.
func toUTF8(body []byte, contentType string) []byte {
	if enc, skip := sniffUnicode(body); enc != nil {
		out, err := enc.NewDecoder().Bytes(body[skip:])
		if err != nil {
			out = bytes.ToValidUTF8(body[skip:], []byte("\uFFFD"))
		}
		return dropDeclaredEncoding(bytes.ToValidUTF8(out, []byte("\uFFFD")))
	}
	if bytes.HasPrefix(body, utf8BOM) {
		body = body[len(utf8BOM):]
		if !utf8.Valid(body) {
			body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		}
		return dropDeclaredEncoding(body)
	}

	declared := declaredEncoding(body)
	if utf8.Valid(body) {
		// Pure ASCII could still be a 7-bit encoding such as ISO-2022-JP.
		if !hasNonASCII(body) {
			for _, label := range []string{declared, contentTypeCharset(contentType)} {
				if enc, name := charset.Lookup(label); enc != nil && strings.HasPrefix(name, "iso-2022") {
					return convert(body, enc)
				}
			}
		}
		return dropDeclaredEncoding(body)
	}

	for _, label := range []string{declared, contentTypeCharset(contentType)} {
		if enc := legacyEncoding(label); enc != nil {
			return convert(body, enc)
		}
	}
	if mostlyUTF8(body) {
		return dropDeclaredEncoding(bytes.ToValidUTF8(body, []byte("\uFFFD")))
	}
	return convert(body, charmap.Windows1252)
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// sniffUnicode recognises UTF-16 and UTF-32 by their byte order mark or, per XML 1.0 appendix F,
// by how "<?" or "<" is encoded. It returns the decoder to use and how many BOM bytes to skip.
func sniffUnicode(b []byte) (encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), 4
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), 4
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0x00, '<'}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), 0
	case bytes.HasPrefix(b, []byte{'<', 0x00, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), 0
	case bytes.HasPrefix(b, []byte{0x00, '<', 0x00, '?'}), bytes.HasPrefix(b, []byte{0x00, '<', 0x00, 'r'}),
		bytes.HasPrefix(b, []byte{0x00, '<', 0x00, 'f'}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 0
	case bytes.HasPrefix(b, []byte{'<', 0x00, '?', 0x00}), bytes.HasPrefix(b, []byte{'<', 0x00, 'r', 0x00}),
		bytes.HasPrefix(b, []byte{'<', 0x00, 'f', 0x00}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 0
	}
	return nil, 0
}

// legacyEncoding returns the decoder for a charset label naming an encoding other than UTF-8,
// UTF-16 or UTF-32 (those are recognised from the bytes, never trusted from a label), or nil.
func legacyEncoding(label string) encoding.Encoding {
	if label == "" {
		return nil
	}
	enc, name := charset.Lookup(label)
	if enc == nil || name == "utf-8" || name == "replacement" || strings.HasPrefix(name, "utf-16") {
		return nil
	}
	return enc
}

// convert decodes body from enc, falling back to repairing it as UTF-8 should the decoder fail.
func convert(body []byte, enc encoding.Encoding) []byte {
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		out = body
	}
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return dropDeclaredEncoding(out)
}

// contentTypeCharset returns the charset parameter of a Content-Type header value, or "".
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		// Be lenient with malformed headers such as "text/xml; charset=utf-8;".
		lower := strings.ToLower(contentType)
		i := strings.Index(lower, "charset=")
		if i < 0 {
			return ""
		}
		v := contentType[i+len("charset="):]
		if j := strings.IndexAny(v, "; "); j >= 0 {
			v = v[:j]
		}
		return strings.Trim(v, `"'`)
	}
	return params["charset"]
}

// xmlDecl locates the encoding pseudo-attribute of the XML declaration at the start of b (after
// white space): b[vs:ve] is its value. ok is false when there is no declaration or no encoding.
func xmlDecl(b []byte) (vs, ve int, ok bool) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	if !bytes.HasPrefix(b[i:], []byte("<?xml")) {
		return 0, 0, false
	}
	end := bytes.Index(b[i:min(len(b), i+1024)], []byte("?>"))
	if end < 0 {
		return 0, 0, false
	}
	decl := b[i : i+end]
	k := bytes.Index(decl, []byte("encoding"))
	if k < 0 {
		return 0, 0, false
	}
	j := k + len("encoding")
	for j < len(decl) && (decl[j] == ' ' || decl[j] == '=' || decl[j] == '\t') {
		j++
	}
	if j >= len(decl) || (decl[j] != '"' && decl[j] != '\'') {
		return 0, 0, false
	}
	q := decl[j]
	closing := bytes.IndexByte(decl[j+1:], q)
	if closing < 0 {
		return 0, 0, false
	}
	return i + j + 1, i + j + 1 + closing, true
}

// declaredEncoding returns the encoding named by the XML declaration, or "".
func declaredEncoding(b []byte) string {
	vs, ve, ok := xmlDecl(b)
	if !ok {
		return ""
	}
	return strings.TrimSpace(string(b[vs:ve]))
}

// dropDeclaredEncoding rewrites the XML declaration to name UTF-8 when it names anything else.
// b is returned as is when no change is needed.
func dropDeclaredEncoding(b []byte) []byte {
	vs, ve, ok := xmlDecl(b)
	if !ok || strings.EqualFold(strings.TrimSpace(string(b[vs:ve])), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b)-(ve-vs)+5)
	out = append(out, b[:vs]...)
	out = append(out, "utf-8"...)
	return append(out, b[ve:]...)
}

// hasNonASCII reports whether b holds any byte above 0x7F.
func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// mostlyUTF8 reports whether invalid UTF-8 in b looks like stray damage in a UTF-8 document
// rather than a legacy encoding. Legacy 8-bit text almost never forms valid multi-byte sequences
// by accident, so a few of them outweigh several invalid bytes.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for len(b) > 0 {
		if b[0] < 0x80 {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			valid++
		}
		b = b[size:]
	}
	return valid > 0 && invalid <= 4*valid
}
