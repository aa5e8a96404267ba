package feeds

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScanner tokenizes an in-memory XML document exactly as encoding/xml's Decoder.Token does
// with gofeed's settings (Strict false, no AutoClose, no Entity map, no charset conversion),
// for the documents it accepts: the same tokens, the same element boundaries, the same decoded
// text and attribute values, and an error wherever the Decoder would fail. It is several times
// faster because it works on the byte slice (no per-byte reader calls, no copying of text it is
// not asked to decode) and, once its stacks have grown, allocates nothing per token. The input
// must be valid UTF-8 without the characters XML forbids in text (C0 controls other than tab,
// LF and CR; U+FFFE; U+FFFF): toUTF8 and newFastParser see to that, as gofeed's reader filter
// does for the C0 controls.
//
// Where encoding/xml's lenient mode would repair markup (an end tag that does not match the open
// element, an attribute without a value or without quotes), where a name is not plain ASCII
// (the Decoder checks those against Unicode tables), or where a declaration asks for a charset
// conversion, the scanner gives up with errFastUnsupported and the document goes to gofeed.
// A document cut off inside an element gives errScanEOF, which mentions "unexpected EOF" as the
// Decoder's error does, so Parse repairs it the same way.
type xmlScanner struct {
	data    []byte
	pos     int
	stack   [][]byte // raw qualified names of the open elements
	pending bool     // the end of a self-closing element is due

	// The current token.
	kind          xkind
	prefix, local []byte  // start and end elements: the name, split as encoding/xml splits it
	attrs         []xattr // start elements
	text          []byte  // character data: raw, between the markup
	cdata         bool    // text came from a CDATA section
}

type xkind uint8

const (
	xStart xkind = iota + 1
	xEnd
	xText  // character data or a CDATA section
	xOther // comment, processing instruction or directive
)

// xattr is an attribute as written.
type xattr struct {
	prefix, local []byte
	raw           []byte // the value between the quotes, not yet decoded
}

// errScanEOF is a document that ends inside markup or inside an element.
var errScanEOF = errors.New("XML syntax error: unexpected EOF")

// scanSyntaxError is markup encoding/xml rejects.
type scanSyntaxError string

func (e scanSyntaxError) Error() string { return "XML syntax error: " + string(e) }

func newXMLScanner(data []byte) *xmlScanner {
	return &xmlScanner{data: data, stack: make([][]byte, 0, 16), attrs: make([]xattr, 0, 8)}
}

// depth is the number of open elements.
func (s *xmlScanner) depth() int { return len(s.stack) }

// offset is the position just past the current token.
func (s *xmlScanner) offset() int { return s.pos }

// next reads the next token. At the end of the document it returns errScanEOF when elements are
// still open, and errFastUnsupported otherwise (the fast parser stops at the root's end tag, so
// it never reads that far in a document it can parse).
func (s *xmlScanner) next() error {
	if s.pending {
		s.pending = false
		s.stack = s.stack[:len(s.stack)-1]
		s.kind = xEnd
		return nil
	}
	data := s.data
	if s.pos >= len(data) {
		if len(s.stack) > 0 {
			return errScanEOF
		}
		return errFastUnsupported
	}
	if data[s.pos] != '<' {
		return s.scanText()
	}
	if s.pos+1 >= len(data) {
		return errScanEOF
	}
	switch data[s.pos+1] {
	case '/':
		return s.scanEnd()
	case '?':
		return s.scanProcInst()
	case '!':
		return s.scanBang()
	}
	return s.scanStart()
}

// scanText reads character data up to the next '<'.
func (s *xmlScanner) scanText() error {
	start := s.pos
	end := bytes.IndexByte(s.data[start:], '<')
	if end < 0 {
		end = len(s.data)
	} else {
		end += start
	}
	text := s.data[start:end]
	if bytes.Contains(text, []byte("]]>")) {
		return scanSyntaxError("unescaped ]]> not in CDATA section")
	}
	if err := checkEntities(text, end == len(s.data)); err != nil {
		return err
	}
	s.pos = end
	s.kind, s.text, s.cdata = xText, text, false
	return nil
}

// checkEntities finds the character references in text that encoding/xml rejects: those that
// decode to a character XML does not allow. atEOF says the text runs to the end of the input,
// where a reference the Decoder is still reading when the input ends is a truncation.
func checkEntities(text []byte, atEOF bool) error {
	for {
		i := bytes.IndexByte(text, '&')
		if i < 0 {
			return nil
		}
		text = text[i+1:]
		n, _, _, eof, ok := scanEntity(text)
		if eof && atEOF {
			return errScanEOF
		}
		if !ok {
			return scanSyntaxError("illegal character code in a character reference")
		}
		text = text[n:]
	}
}

// scanEntity examines the text after an '&' as encoding/xml's text() does. It returns how many
// bytes the Decoder consumes as part of the reference (not counting the '&'); the replacement
// text when the reference decodes (haveText); eof when the Decoder would need to read past the
// end of b; and ok false when the reference decodes to a character XML does not allow, which
// is an error.
func scanEntity(b []byte) (n int, text string, haveText, eof, ok bool) {
	if len(b) > 0 && b[0] == '#' {
		i := 1
		base := 10
		if i < len(b) && b[i] == 'x' {
			base = 16
			i++
		}
		start := i
		for i < len(b) && ('0' <= b[i] && b[i] <= '9' || base == 16 && ('a' <= b[i] && b[i] <= 'f' || 'A' <= b[i] && b[i] <= 'F')) {
			i++
		}
		if i >= len(b) {
			return i, "", false, true, true
		}
		if b[i] != ';' {
			return i, "", false, false, true
		}
		v, err := strconv.ParseUint(string(b[start:i]), base, 64)
		if err != nil || v > utf8.MaxRune {
			return i + 1, "", false, false, true
		}
		r := rune(v)
		if !utf8.ValidRune(r) {
			r = utf8.RuneError // string(rune(n)) of a surrogate
		}
		if !isXMLChar(r) {
			return i + 1, "", false, false, false
		}
		return i + 1, string(r), true, false, true
	}
	i := 0
	for i < len(b) && (b[i] >= utf8.RuneSelf || isNameByte(b[i])) {
		i++
	}
	if i >= len(b) {
		return i, "", false, true, true
	}
	if b[i] != ';' {
		return i, "", false, false, true
	}
	switch string(b[:i]) {
	case "lt":
		return i + 1, "<", true, false, true
	case "gt":
		return i + 1, ">", true, false, true
	case "amp":
		return i + 1, "&", true, false, true
	case "apos":
		return i + 1, "'", true, false, true
	case "quot":
		return i + 1, `"`, true, false, true
	}
	return i + 1, "", false, false, true
}

// decodeXMLText is the character data encoding/xml returns for raw text: the five predefined
// entities and character references decoded (other references left as written), and "\r\n" and
// "\r" turned into "\n". The text must have passed the scanner's checks.
func decodeXMLText(raw []byte, cdata bool) string {
	if bytes.IndexByte(raw, '\r') < 0 && (cdata || bytes.IndexByte(raw, '&') < 0) {
		return string(raw)
	}
	out := make([]byte, 0, len(raw))
	var b1 byte
	for i := 0; i < len(raw); i++ {
		b := raw[i]
		if b == '&' && !cdata {
			n, text, haveText, _, _ := scanEntity(raw[i+1:])
			if haveText {
				out = append(out, text...)
			} else {
				out = append(out, raw[i:i+1+n]...)
			}
			i += n
			b1 = 0
			continue
		}
		switch {
		case b == '\r':
			out = append(out, '\n')
		case b1 == '\r' && b == '\n':
		default:
			out = append(out, b)
		}
		b1 = b
	}
	return string(out)
}

// isXMLChar is encoding/xml's isInCharacterRange.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// isNameByte is encoding/xml's isNameByte.
func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// scanName reads a name at s.pos as encoding/xml's readName does (a run of name bytes and
// non-ASCII bytes) and checks it as name() does, for ASCII names; non-ASCII names are left to
// gofeed. ok is false when there is no name at all.
func (s *xmlScanner) scanName() (name []byte, ok bool, err error) {
	data := s.data
	start := s.pos
	i := start
	for i < len(data) && (data[i] >= utf8.RuneSelf || isNameByte(data[i])) {
		if data[i] >= utf8.RuneSelf {
			return nil, false, errFastUnsupported
		}
		i++
	}
	if i >= len(data) {
		return nil, false, errScanEOF // readName reads the byte after the name
	}
	if i == start {
		return nil, false, nil
	}
	if c := data[start]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
		return nil, false, scanSyntaxError("invalid XML name: " + string(data[start:i]))
	}
	s.pos = i
	return data[start:i], true, nil
}

// splitName is encoding/xml's nsname split: ok is false for a name with more than one colon.
func splitName(name []byte) (prefix, local []byte, ok bool) {
	i := bytes.IndexByte(name, ':')
	if i < 0 {
		return nil, name, true
	}
	if bytes.IndexByte(name[i+1:], ':') >= 0 {
		return nil, nil, false
	}
	if i == 0 || i == len(name)-1 {
		return nil, name, true
	}
	return name[:i], name[i+1:], true
}

// skipSpace is encoding/xml's space().
func (s *xmlScanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\r', '\n', '\t':
			s.pos++
		default:
			return
		}
	}
}

func (s *xmlScanner) scanEnd() error {
	s.pos += 2 // "</"
	name, ok, err := s.scanName()
	if err != nil {
		return err
	}
	if !ok {
		return scanSyntaxError("expected element name after </")
	}
	prefix, local, ok := splitName(name)
	if !ok {
		return scanSyntaxError("expected element name after </")
	}
	s.skipSpace()
	if s.pos >= len(s.data) {
		return errScanEOF
	}
	if s.data[s.pos] != '>' {
		return scanSyntaxError("invalid characters between </" + string(local) + " and >")
	}
	s.pos++
	if len(s.stack) == 0 {
		return scanSyntaxError("unexpected end element </" + string(local) + ">")
	}
	if !bytes.Equal(s.stack[len(s.stack)-1], name) {
		// encoding/xml closes the open element instead (or fails when only the prefix differs).
		return errFastUnsupported
	}
	s.stack = s.stack[:len(s.stack)-1]
	s.kind, s.prefix, s.local = xEnd, prefix, local
	return nil
}

func (s *xmlScanner) scanStart() error {
	s.pos++ // "<"
	name, ok, err := s.scanName()
	if err != nil {
		return err
	}
	var prefix, local []byte
	if ok {
		prefix, local, ok = splitName(name)
	}
	if !ok {
		return scanSyntaxError("expected element name after <")
	}
	s.attrs = s.attrs[:0]
	empty := false
	data := s.data
	for {
		s.skipSpace()
		if s.pos >= len(data) {
			return errScanEOF
		}
		c := data[s.pos]
		if c == '/' {
			if s.pos+1 >= len(data) {
				return errScanEOF
			}
			if data[s.pos+1] != '>' {
				return scanSyntaxError("expected /> in element")
			}
			s.pos += 2
			empty = true
			break
		}
		if c == '>' {
			s.pos++
			break
		}
		aname, ok, err := s.scanName()
		if err != nil {
			return err
		}
		var a xattr
		if ok {
			a.prefix, a.local, ok = splitName(aname)
		}
		if !ok {
			return scanSyntaxError("expected attribute name in element")
		}
		s.skipSpace()
		if s.pos >= len(data) {
			return errScanEOF
		}
		if data[s.pos] != '=' {
			return errFastUnsupported // encoding/xml's lenient mode takes the name as the value
		}
		s.pos++
		s.skipSpace()
		if s.pos >= len(data) {
			return errScanEOF
		}
		q := data[s.pos]
		if q != '"' && q != '\'' {
			return errFastUnsupported // an unquoted value, which lenient mode accepts
		}
		s.pos++
		end := bytes.IndexByte(data[s.pos:], q)
		if end < 0 {
			rest := data[s.pos:]
			if bytes.IndexByte(rest, '<') >= 0 {
				return scanSyntaxError("unescaped < inside quoted string")
			}
			if err := checkEntities(rest, true); err != nil {
				return err
			}
			return errScanEOF
		}
		a.raw = data[s.pos : s.pos+end]
		if bytes.IndexByte(a.raw, '<') >= 0 {
			return scanSyntaxError("unescaped < inside quoted string")
		}
		if err := checkEntities(a.raw, false); err != nil {
			return err
		}
		s.pos += end + 1
		s.attrs = append(s.attrs, a)
	}
	s.stack = append(s.stack, name)
	s.pending = empty
	s.kind, s.prefix, s.local = xStart, prefix, local
	return nil
}

func (s *xmlScanner) scanProcInst() error {
	s.pos += 2 // "<?"
	target, ok, err := s.scanName()
	if err != nil {
		return err
	}
	if !ok {
		return scanSyntaxError("expected target name after <?")
	}
	s.skipSpace()
	// The Decoder looks for "?>" from the first byte after the white space.
	end := bytes.Index(s.data[s.pos:], []byte("?>"))
	if end < 0 {
		return errScanEOF
	}
	content := s.data[s.pos : s.pos+end]
	s.pos += end + 2
	if string(target) == "xml" {
		c := string(content)
		if ver := procInst("version", c); ver != "" && ver != "1.0" {
			return scanSyntaxError("unsupported version " + strconv.Quote(ver))
		}
		if enc := procInst("encoding", c); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return errFastUnsupported // gofeed would convert the rest of the document
		}
	}
	s.kind = xOther
	return nil
}

// procInst is encoding/xml's (Copyright 2009 The Go Authors, BSD licence): the value of a
// pseudo-attribute of a processing instruction.
func procInst(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// scanBang reads a comment, a CDATA section or a directive.
func (s *xmlScanner) scanBang() error {
	data := s.data
	s.pos += 2 // "<!"
	if s.pos >= len(data) {
		return errScanEOF
	}
	switch data[s.pos] {
	case '-':
		s.pos++
		if s.pos >= len(data) {
			return errScanEOF
		}
		if data[s.pos] != '-' {
			return scanSyntaxError("invalid sequence <!- not part of <!--")
		}
		s.pos++
		// The comment ends at the first "--", which must be followed by '>'.
		end := bytes.Index(data[s.pos:], []byte("--"))
		if end < 0 || s.pos+end+2 >= len(data) {
			return errScanEOF
		}
		if data[s.pos+end+2] != '>' {
			return scanSyntaxError(`invalid sequence "--" not allowed in comments`)
		}
		s.pos += end + 3
		s.kind = xOther
		return nil
	case '[':
		s.pos++
		if len(data)-s.pos < 6 {
			if bytes.HasPrefix([]byte("CDATA["), data[s.pos:]) {
				return errScanEOF
			}
			return scanSyntaxError("invalid <![ sequence")
		}
		if string(data[s.pos:s.pos+6]) != "CDATA[" {
			return scanSyntaxError("invalid <![ sequence")
		}
		s.pos += 6
		end := bytes.Index(data[s.pos:], []byte("]]>"))
		if end < 0 {
			return errScanEOF
		}
		s.kind, s.text, s.cdata = xText, data[s.pos:s.pos+end], true
		s.pos += end + 3
		return nil
	}
	return s.scanDirective()
}

// scanDirective reads a directive such as <!DOCTYPE ...>, as encoding/xml does: quoted '>' and
// nested <...> do not end it, and comments inside are skipped.
func (s *xmlScanner) scanDirective() error {
	data := s.data
	i := s.pos + 1 // encoding/xml takes the byte after "<!" as is
	var inquote byte
	depth := 0
	for {
		if i >= len(data) {
			return errScanEOF
		}
		b := data[i]
		i++
		if inquote == 0 && b == '>' && depth == 0 {
			break
		}
	handle:
		switch {
		case b == inquote:
			inquote = 0
		case inquote != 0:
		case b == '\'' || b == '"':
			inquote = b
		case b == '>':
			depth--
		case b == '<':
			const open = "!--"
			for k := 0; k < len(open); k++ {
				if i >= len(data) {
					return errScanEOF
				}
				b = data[i]
				i++
				if b != open[k] {
					depth++
					goto handle
				}
			}
			var b0, b1 byte
			for {
				if i >= len(data) {
					return errScanEOF
				}
				b = data[i]
				i++
				if b0 == '-' && b1 == '-' && b == '>' {
					break
				}
				b0, b1 = b1, b
			}
		}
	}
	s.pos = i
	s.kind = xOther
	return nil
}
