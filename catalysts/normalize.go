package catalysts

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word, CJK character or significant punctuation mark of a normalised text.
type token struct {
	start, end int32  // byte offsets into the normalised buffer
	id         int32  // vocabulary id, or -1 when no pattern uses this token
	hash       uint32 // hashBytes of the token's bytes
	flags      uint8
}

const (
	flagUpper  uint8 = 1 << iota // written in capitals in the original (at least two letters)
	flagDollar                   // directly preceded by '$'
	flagParen                    // directly enclosed in parentheses
	flagBreak                    // a clause break: , ; : ! . or a spaced dash, or a break word
	flagCJK                      // a single Han, kana or Hangul character
	flagConj                     // a conjunction: ends the reach of a negation or pending step
)

// text is a headline folded to lower case and cut into tokens. Its buffers are reused.
type text struct {
	buf    []byte
	tokens []token
}

func (t *text) reset() {
	t.buf = t.buf[:0]
	t.tokens = t.tokens[:0]
}

// bytes returns token i's folded bytes.
func (t *text) bytes(i int) []byte { return t.buf[t.tokens[i].start:t.tokens[i].end] }

func (t *text) tok(i int) string { return string(t.bytes(i)) }

// is reports whether token i is s, without allocating.
func (t *text) is(i int, s string) bool { return string(t.bytes(i)) == s }

// tokenizer state while folding one string.
type folding struct {
	t          *text
	inWord     bool
	wordUpper  bool // every letter so far was upper case
	wordLetter int  // letters in the current word
	pendingFl  uint8
	prev       rune
	skipT      bool // the "t" of "n't", already written as "not"
	dashRun    int  // dashes in the current run ("--")
	dashBefore rune // the character before the current run of dashes
}

// ASCII byte classes for the fast path.
const (
	clsOther uint8 = iota
	clsLower
	clsUpper
	clsDigit
	clsSpace
)

var asciiClass = func() (c [256]uint8) {
	for b := 'a'; b <= 'z'; b++ {
		c[b] = clsLower
		c[b-'a'+'A'] = clsUpper
	}
	for b := '0'; b <= '9'; b++ {
		c[b] = clsDigit
	}
	c[' '] = clsSpace
	return c
}()

// normalize folds s into t: Unicode NFKC, lower case, curly quotes and dashes unified, cut into
// words (Latin letters and digits), single CJK characters, and the punctuation that matters
// ("?", clause breaks). ASCII input takes a fast path with no allocation.
func normalize(t *text, s string) {
	t.reset()
	f := folding{t: t}
	if f.ascii(s) {
		f.endWord()
		return
	}
	t.reset()
	f = folding{t: t}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD") // as the loop below reads them, before NFKC does
	}
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	for i, r := range s {
		f.rune(r, nextRune(s, i+utf8.RuneLen(r)))
	}
	f.endWord()
}

// ascii folds s when it is all ASCII, a word at a time, and reports false as soon as it meets a
// byte that is not.
func (f *folding) ascii(s string) bool {
	t := f.t
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			return false
		}
		cls := asciiClass[c]
		if cls == clsSpace && !f.skipT {
			f.endWord()
			f.prev = ' '
			i++
			continue
		}
		if cls == clsOther || f.skipT {
			next := rune(-1)
			if i+1 < len(s) {
				next = rune(s[i+1])
			}
			f.rune(rune(c), next)
			i++
			continue
		}
		// A run of letters and digits: one word, or the rest of the current one.
		if !f.inWord {
			f.startWord()
		}
		buf := t.buf
		letters, lower := 0, false
		for ; i < len(s); i++ {
			c = s[i]
			switch asciiClass[c] {
			case clsLower:
				letters++
				lower = true
			case clsDigit:
			case clsUpper:
				letters++
				c += 'a' - 'A'
			default:
				goto done
			}
			buf = append(buf, c)
		}
	done:
		t.buf = buf
		f.wordLetter += letters
		if lower {
			f.wordUpper = false
		}
		f.prev = rune(s[i-1])
	}
	return true
}

func nextRune(s string, i int) rune {
	if i >= len(s) {
		return -1
	}
	if s[i] < utf8.RuneSelf {
		return rune(s[i])
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

func (f *folding) rune(r, next rune) {
	f.step(r, next)
	f.prev = r
}

func (f *folding) step(r, next rune) {
	if f.skipT {
		f.skipT = false
		if r == 't' || r == 'T' {
			return
		}
	}
	switch {
	case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
		f.letterASCII(byte(r), false, r >= 'a')
	case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
		f.letterASCII(byte(r+('a'-'A')), true, true)
	case r >= utf8.RuneSelf && isCJK(r):
		f.endWord()
		f.emit(r, flagCJK)
	case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		lower := unicode.ToLower(r)
		f.letter(lower, lower != r, unicode.IsLetter(r))
	case r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
		// combining marks belong to the letter before them
		if f.inWord {
			f.appendRune(r)
		}
	case r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '`':
		f.apostrophe(next)
	case r == '$':
		f.endWord()
		f.pendingFl |= flagDollar
	case r == '(':
		f.endWord()
		f.pendingFl |= flagParen
	case r == ')':
		f.endWord()
		f.pendingFl &^= flagParen
	case r == '?':
		f.endWord()
		f.emit('?', 0)
	case r == ',' || r == ';' || r == ':' || r == '!' || r == '|':
		f.endWord()
		f.emit(r, flagBreak)
	case r == '.':
		word := f.inWord
		f.endWord()
		// A full stop ends a clause, unless it ends an abbreviation ("v.", "Inc.", "U.S.").
		if (next == ' ' || next == -1) && !(word && f.abbreviation()) {
			f.emit('.', flagBreak)
		}
	case isDash(r):
		f.endWord()
		if f.dashRun == 0 {
			f.dashBefore = f.prev
		}
		f.dashRun++
		if isDash(next) {
			return // judge the run at its last dash
		}
		spaced := (f.dashBefore == ' ' || f.dashBefore == 0) && (next == ' ' || next == -1)
		if spaced || f.dashRun > 1 || r == '\u2014' || r == '\u2015' {
			f.emit('-', flagBreak)
		}
		f.dashRun = 0
	default:
		f.endWord()
	}
}

func isDash(r rune) bool {
	return r == '-' || r == '\u2013' || r == '\u2014' || r == '\u2012' || r == '\u2015' || r == '\u2212'
}

// abbreviation reports whether the word just ended is a single letter or a common abbreviation,
// whose full stop does not end a clause.
func (f *folding) abbreviation() bool {
	t := f.t
	w := t.bytes(len(t.tokens) - 1)
	if utf8.RuneCount(w) == 1 {
		return true
	}
	switch string(w) {
	case "vs", "inc", "co", "corp", "ltd", "llc", "plc", "jr", "sr", "st", "mr", "mrs", "ms", "dr",
		"no", "gov", "sen", "rep", "dept", "intl", "bros", "mt", "cf", "etc", "approx":
		return true
	}
	return false
}

func (f *folding) startWord() {
	t := f.t
	f.inWord = true
	f.wordUpper = true
	f.wordLetter = 0
	t.tokens = append(t.tokens, token{start: int32(len(t.buf)), id: -1, flags: f.pendingFl &^ flagParen})
	if f.pendingFl&flagParen != 0 && f.prev == '(' {
		t.tokens[len(t.tokens)-1].flags |= flagParen
	}
	f.pendingFl &^= flagDollar
}

// letterASCII adds an ASCII letter or digit, already lower case, to the current word.
func (f *folding) letterASCII(c byte, upper, isLetter bool) {
	if !f.inWord {
		f.startWord()
	}
	if isLetter {
		f.wordLetter++
		if !upper {
			f.wordUpper = false
		}
	}
	f.t.buf = append(f.t.buf, c)
}

// letter adds a letter or digit, already lower case, to the current word.
func (f *folding) letter(r rune, upper, isLetter bool) {
	if r < utf8.RuneSelf {
		f.letterASCII(byte(r), upper, isLetter)
		return
	}
	if !f.inWord {
		f.startWord()
	}
	if isLetter {
		f.wordLetter++
		if !upper {
			f.wordUpper = false
		}
	}
	f.appendRune(r)
}

func (f *folding) appendRune(r rune) {
	f.t.buf = utf8.AppendRune(f.t.buf, r)
}

func (f *folding) endWord() {
	if !f.inWord {
		return
	}
	f.inWord = false
	t := f.t
	last := &t.tokens[len(t.tokens)-1]
	last.end = int32(len(t.buf))
	last.hash = hashBytes(t.buf[last.start:last.end])
	if f.wordUpper && f.wordLetter >= 2 {
		last.flags |= flagUpper
	}
}

// apostrophe splits "alibaba's" into "alibaba" "s", and turns "hasn't" into "has" "not".
func (f *folding) apostrophe(next rune) {
	t := f.t
	if f.inWord && (next == 't' || next == 'T') && len(t.buf) > 0 && t.buf[len(t.buf)-1] == 'n' &&
		len(t.buf)-int(t.tokens[len(t.tokens)-1].start) >= 2 { // "n't" alone is no contraction
		f.endWord()
		last := &t.tokens[len(t.tokens)-1]
		switch string(t.buf[last.start:]) {
		case "won":
			t.buf = append(t.buf[:last.start], "will"...)
		case "can":
		default:
			t.buf = t.buf[:len(t.buf)-1] // "hasn" -> "has"
		}
		last.end = int32(len(t.buf))
		last.hash = hashBytes(t.buf[last.start:])
		f.emitString("not")
		f.skipT = true
		return
	}
	f.endWord()
}

func (f *folding) emit(r rune, flags uint8) {
	t := f.t
	start := int32(len(t.buf))
	t.buf = utf8.AppendRune(t.buf, r)
	t.tokens = append(t.tokens, token{start: start, end: int32(len(t.buf)), id: -1, flags: flags,
		hash: hashBytes(t.buf[start:])})
}

func (f *folding) emitString(s string) {
	t := f.t
	start := int32(len(t.buf))
	t.buf = append(t.buf, s...)
	t.tokens = append(t.tokens, token{start: start, end: int32(len(t.buf)), id: -1, hash: hashBytes(t.buf[start:])})
}
