package feeds

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

// Caps on cleaned text, in runes.
const (
	// MaxTitleRunes caps a headline's Title.
	MaxTitleRunes = 500
	// MaxSummaryRunes caps a headline's Summary.
	MaxSummaryRunes = 1000
)

// cleanText turns feed text (plain, entity-escaped or HTML) into a single line of plain text:
// invalid UTF-8 replaced, tags stripped, entities decoded, control characters dropped, whitespace
// folded and trimmed, and the result cut to at most maxRunes runes (ending in "…" when cut).
func cleanText(s string, maxRunes int) string {
	if s == "" {
		return ""
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// The HTML pass only has to look at a bounded prefix: text never grows when tags are stripped
	// and entities decoded by more than a small factor, so 8 bytes per wanted rune is plenty.
	budget := maxRunes*8 + 64
	if strings.ContainsAny(s, "<&") {
		s = stripHTML(s, budget)
		// Feeds often escape twice ("&amp;#39;", "&amp;lt;b&amp;gt;"); one more pass undoes that.
		if looksLikeTag.MatchString(s) {
			s = stripHTML(s, budget)
		}
		if strings.IndexByte(s, '&') >= 0 {
			s = html.UnescapeString(s)
		}
	}
	return foldSpace(s, maxRunes)
}

// looksLikeTag matches an HTML tag left in text after one round of decoding.
var looksLikeTag = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)

// inlineTags are elements that do not separate words; every other tag becomes a space.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"data": true, "dfn": true, "em": true, "font": true, "i": true, "kbd": true, "mark": true,
	"q": true, "s": true, "samp": true, "small": true, "span": true, "strike": true,
	"strong": true, "sub": true, "sup": true, "time": true, "tt": true, "u": true, "var": true,
	"wbr": true,
}

// skipTags are elements whose text is not prose.
var skipTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true}

// stripHTML returns the text content of an HTML fragment, with entities decoded. It stops once
// it has collected budget bytes of text.
func stripHTML(s string, budget int) string {
	if strings.IndexByte(s, '<') < 0 {
		// Without a '<' the tokenizer gives the whole string as one text token: line breaks
		// normalised, entities decoded. Skip building one (it costs a 4 KiB buffer).
		return xhtml.UnescapeString(normalizeNewlines(s))
	}
	z := xhtml.NewTokenizer(strings.NewReader(s))
	z.SetMaxBuf(len(s) + 1)
	var b strings.Builder
	skip := 0
	for b.Len() < budget {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			if skipTags[string(name)] {
				if tt == xhtml.StartTagToken {
					skip++
				} else if tt == xhtml.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if !inlineTags[string(name)] {
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// normalizeNewlines turns "\r\n" and lone "\r" into "\n", as the HTML tokenizer does to text.
func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// foldSpace collapses runs of white space and control characters into single spaces, drops
// zero-width characters, trims, and truncates to maxRunes runes.
func foldSpace(s string, maxRunes int) string {
	var b strings.Builder
	b.Grow(min(len(s), maxRunes*4))
	n := 0
	pendingSpace := false
	truncated := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r < utf8.RuneSelf:
			if r <= ' ' || r == 0x7f { // ASCII white space and control characters
				pendingSpace = n > 0
				continue
			}
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad':
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			pendingSpace = n > 0
			continue
		}
		if pendingSpace {
			if n+1 >= maxRunes {
				truncated = true
				break
			}
			b.WriteByte(' ')
			n++
			pendingSpace = false
		}
		if n >= maxRunes {
			truncated = true
			break
		}
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
		n++
	}
	out := b.String()
	if !truncated {
		return out
	}
	return ellipsize(out)
}

// ellipsize marks text as cut: it backs up to a word boundary when one is near the end, so the
// text does not end mid-word, and appends "…" in place of the last rune.
func ellipsize(s string) string {
	_, size := utf8.DecodeLastRuneInString(s)
	s = s[:len(s)-size]
	if i := strings.LastIndexByte(s, ' '); i > 0 && len(s)-i < 40 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ") + "…"
}
