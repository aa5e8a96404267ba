package feeds

import (
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

// refCleanText is cleanText as it was before the shortcuts in stripHTML and foldSpace, kept as
// the reference FuzzCleanText holds the current one to.
func refCleanText(s string, maxRunes int) string {
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
		s = refStripHTML(s, budget)
		// Feeds often escape twice ("&amp;#39;", "&amp;lt;b&amp;gt;"); one more pass undoes that.
		if looksLikeTag.MatchString(s) {
			s = refStripHTML(s, budget)
		}
		if strings.IndexByte(s, '&') >= 0 {
			s = html.UnescapeString(s)
		}
	}
	return refFoldSpace(s, maxRunes)
}

func refStripHTML(s string, budget int) string {
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

func refFoldSpace(s string, maxRunes int) string {
	var b strings.Builder
	b.Grow(min(len(s), maxRunes*4))
	n := 0
	pendingSpace := false
	truncated := false
	for _, r := range s {
		switch {
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
		b.WriteRune(r)
		n++
	}
	out := b.String()
	if !truncated {
		return out
	}
	return ellipsize(out)
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{
		"  plain   text\n\twith\u00a0spaces ", "a &amp; b &lt; c &gt; &#39;d&#39; &hellip;", "literal &lt;b&gt;tags&lt;/b&gt; go",
		"<p>one</p><p>two</p><b>th</b>ree", "x <style>.a{}</style><script>evil()</script>y", "double &amp;amp; escaped &amp;#8217;",
		"bad \xff utf8", "ctrl\x00\x07chars\u200b!", "x < y and y > z", "a\r\nb\rc&#13;\r", "&amp", "&notit; &copy2 &#x1F600;",
		"\x7f\x1f word \u2028 \u0085 end", strings.Repeat("word ", 300), "\r\r\n&#0;\x00",
	} {
		f.Add(s, 100)
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 2000 {
			return
		}
		if got, want := cleanText(s, max), refCleanText(s, max); got != want {
			t.Errorf("cleanText(%q, %d) = %q, reference %q", s, max, got, want)
		}
	})
}
