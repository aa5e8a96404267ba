package catalysts

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word, CJK character or significant punctuation mark of a normalised text.
type token struct {
	start, end int32 // byte offsets into the normalised buffer
	id         int32 // vocabulary id, or -1 when no pattern uses this token
	flags      uint8
}

const (
	flagUpper  uint8 = 1 << iota // written in capitals in the original (at least two letters)
	flagDollar                   // directly preceded by '$'
	flagParen                    // directly enclosed in parentheses
	flagBreak                    // a clause break: , ; : ! . or a spaced dash
	flagCJK                      // a single Han, kana or Hangul character
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

func (t *text) tok(i int) string { return string(t.buf[t.tokens[i].start:t.tokens[i].end]) }

// tokenizer state while folding one string.
type folding struct {
	t          *text
	inWord     bool
	wordUpper  bool // every letter so far was upper case
	wordLetter int  // letters in the current word
	pendingFl  uint8
	prev       rune
	skipT      bool // the "t" of "n't", already written as "not"
}

// normalize folds s into t: Unicode NFKC, lower case, curly quotes and dashes unified, cut into
// words (Latin letters and digits), single CJK characters, and the punctuation that matters
// ("?", clause breaks). ASCII input takes a fast path with no allocation.
func normalize(t *text, s string) {
	t.reset()
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii && !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	f := folding{t: t}
	if ascii {
		for i := 0; i < len(s); i++ {
			f.rune(rune(s[i]), nextRune(s, i+1))
		}
	} else {
		for i, r := range s {
			f.rune(r, nextRune(s, i+utf8.RuneLen(r)))
		}
	}
	f.endWord()
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
	defer func() { f.prev = r }()
	if f.skipT {
		f.skipT = false
		if r == 't' || r == 'T' {
			return
		}
	}
	switch {
	case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
		f.letter(r, false)
	case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
		f.letter(r+('a'-'A'), true)
	case r >= utf8.RuneSelf && isCJK(r):
		f.endWord()
		f.emit(r, flagCJK)
	case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		lower := unicode.ToLower(r)
		f.letter(lower, lower != r)
	case r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
		// combining marks belong to the letter before them
		if f.inWord {
			f.t.buf = utf8.AppendRune(f.t.buf, r)
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
		f.endWord()
		if next == ' ' || next == -1 {
			f.emit('.', flagBreak)
		}
	case r == '-' || r == '\u2013' || r == '\u2014' || r == '\u2012' || r == '\u2015' || r == '\u2212':
		f.endWord()
		spaced := (f.prev == ' ' || f.prev == 0) && (next == ' ' || next == -1)
		if spaced || r == '\u2014' || r == '\u2015' {
			f.emit('-', flagBreak)
		}
	default:
		f.endWord()
	}
}

func (f *folding) letter(r rune, upper bool) {
	t := f.t
	if !f.inWord {
		f.inWord = true
		f.wordUpper = true
		f.wordLetter = 0
		t.tokens = append(t.tokens, token{start: int32(len(t.buf)), id: -1, flags: f.pendingFl &^ flagParen})
		if f.pendingFl&flagParen != 0 && f.prev == '(' {
			t.tokens[len(t.tokens)-1].flags |= flagParen
		}
		f.pendingFl &^= flagDollar
	}
	if unicode.IsLetter(r) {
		f.wordLetter++
		if !upper {
			f.wordUpper = false
		}
	}
	if r < utf8.RuneSelf {
		t.buf = append(t.buf, byte(r))
	} else {
		t.buf = utf8.AppendRune(t.buf, r)
	}
}

func (f *folding) endWord() {
	if !f.inWord {
		return
	}
	f.inWord = false
	t := f.t
	last := &t.tokens[len(t.tokens)-1]
	last.end = int32(len(t.buf))
	if f.wordUpper && f.wordLetter >= 2 {
		last.flags |= flagUpper
	}
}

// apostrophe splits "alibaba's" into "alibaba" "s", and turns "hasn't" into "has" "not".
func (f *folding) apostrophe(next rune) {
	t := f.t
	if f.inWord && (next == 't' || next == 'T') && len(t.buf) > 0 && t.buf[len(t.buf)-1] == 'n' {
		last := t.tokens[len(t.tokens)-1]
		word := string(t.buf[last.start:])
		f.endWord()
		switch word {
		case "won":
			t.buf = append(t.buf[:last.start], "will"...)
		case "can":
			t.buf = append(t.buf[:last.start], "can"...)
		default:
			t.buf = t.buf[:len(t.buf)-1] // "hasn" -> "has"
		}
		t.tokens[len(t.tokens)-1].end = int32(len(t.buf))
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
	t.tokens = append(t.tokens, token{start: start, end: int32(len(t.buf)), id: -1, flags: flags})
}

func (f *folding) emitString(s string) {
	t := f.t
	start := int32(len(t.buf))
	t.buf = append(t.buf, s...)
	t.tokens = append(t.tokens, token{start: start, end: int32(len(t.buf)), id: -1})
}
