// Package catalysts decides what a headline says about each watched catalyst (classification),
// and whether the evidence so far moves a catalyst to a new state (policy and state machine).
package catalysts

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Mention is the state reported for a headline that is about a catalyst but asserts no new state:
// a rumour, a question, a hedged or negated report, a motion, an analysis.
const Mention = "mention"

// Signal is what one headline says about one catalyst.
type Signal struct {
	Catalyst string `json:"catalyst"`
	// State is one of the catalyst's states, or Mention.
	State string `json:"state"`
	// Cue is the phrase that decided the state (for Mention, the strongest cue that was held back).
	Cue string `json:"cue,omitempty"`
	// Aliases are the entity names found, as "group=words".
	Aliases []string `json:"aliases,omitempty"`
	// Hedges, Negations and Pending are the modifiers that held a cue back.
	Hedges    []string `json:"hedges,omitempty"`
	Negations []string `json:"negations,omitempty"`
	Pending   []string `json:"pending,omitempty"`
	// Reason says in one line why the signal has its state.
	Reason string `json:"reason"`
}

// Decisive reports whether the signal asserts a state rather than a mere mention.
func (s Signal) Decisive() bool { return s.State != Mention }

// Engine classifies headlines against every configured catalyst. It is safe for concurrent use.
// Its cost per headline depends on the headline's words, not on the number of catalysts: every
// alias, cue and modifier of every catalyst is compiled into one trie over words, and cues are
// compiled once per distinct phrase however many catalysts write them.
//
// Most headlines name no catalyst. A prefilter (mayName) reads an ASCII headline's words in
// place and looks each up in a set of the words that can start an alias of a group some
// catalyst is about; a headline with none of them is answered without folding it, without
// allocating. Every other headline takes the full path: fold (normalize), look each word up in
// the vocabulary, walk the trie from each word, then evaluate each candidate catalyst.
type Engine struct {
	vocab      wordTable
	root       []int32  // word id → the root's child node, or 0
	aboutStart []uint64 // bit per word id: some catalyst's about-group alias starts with it
	quick      hashSet  // the hashes of those words, for the prefilter
	quickShape shapeSet // their first and last letters and lengths, checked before hashing
	quickNT    bool     // "not", "will" or "can" is one of them (see ntMayName)
	quickMin   int      // the shortest and longest of those words
	quickMax   int
	quickOff   bool // an alias starts with a token the prefilter cannot see
	edges      edgeTable
	outStart   []int32 // node → its outputs, outs[outStart[node]:outStart[node+1]]
	outs       []emit
	patterns   []pattern
	groupNames []string // engine-wide group name ids
	catalysts  []*compiled
	byID       map[string]int
	modText    []string
	scope      int32
	pool       sync.Pool
}

// Default modifier scope in words.
const defaultScope = 6

// NewEngine compiles the catalysts and the language lists into an Engine.
func NewEngine(defs []Definition, lang Language) (*Engine, error) {
	e := &Engine{
		byID:  make(map[string]int, len(defs)),
		scope: int32(lang.Scope),
	}
	if e.scope <= 0 {
		e.scope = defaultScope
	}
	b := newBuilder(e)
	for _, l := range []struct {
		kind uint8
		list Phrases
	}{
		{kindHedge, lang.Hedges}, {kindNegation, lang.Negations}, {kindPending, lang.Pending},
		{kindAfter, lang.After}, {kindBreak, lang.Breaks}, {kindConj, lang.Conjunctions},
		{kindAdjacent, lang.Adjacent},
	} {
		for _, m := range l.list {
			alts := expandAlternatives(m)
			if l.kind == kindAdjacent {
				alts = []string{m}
			}
			for _, x := range alts {
				ids := b.tokens(x)
				if len(ids) == 0 {
					return nil, fmt.Errorf("modifier %q has no words", m)
				}
				b.add(ids, emit{kind: l.kind, ref: int32(len(e.modText))})
				e.modText = append(e.modText, x)
			}
		}
	}
	b.reserve(defs)
	all := make([]compiled, len(defs))
	e.catalysts = make([]*compiled, len(defs))
	for i := range defs {
		d := &defs[i]
		if _, dup := e.byID[d.ID]; dup {
			return nil, fmt.Errorf("duplicate catalyst id %q", d.ID)
		}
		if err := b.compileCatalyst(int32(i), d, &all[i]); err != nil {
			return nil, err
		}
		e.byID[d.ID] = i
		e.catalysts[i] = &all[i]
	}
	b.finish()
	e.pool.New = func() any { return &scratch{} }
	return e, nil
}

func (e *Engine) markAboutStart(id int32) {
	for int(id)/64 >= len(e.aboutStart) {
		e.aboutStart = append(e.aboutStart, 0)
	}
	e.aboutStart[id/64] |= 1 << uint(id%64)
	w := e.vocab.word(id)
	alnum, ascii := true, true
	for _, c := range w {
		cls := asciiClass[c]
		alnum = alnum && (cls == clsLower || cls == clsDigit)
		ascii = ascii && c < utf8.RuneSelf
	}
	switch {
	case alnum:
		e.quick.add(hashBytes(w))
		e.quickShape.add(w[0], w[len(w)-1], len(w))
		if e.quickMin == 0 || len(w) < e.quickMin {
			e.quickMin = len(w)
		}
		e.quickMax = max(e.quickMax, len(w))
		switch string(w) {
		case "not", "will", "can":
			e.quickNT = true
		}
	case ascii:
		// Punctuation: the prefilter only sees words.
		e.quickOff = true
	}
	// Any other word has a letter beyond ASCII: a headline with it takes the full path anyway.
}

// mayName is the prefilter: it reports false only when the title certainly names no alias of
// a group some catalyst is about. It reads the title's ASCII words in place, eight bytes at a
// time; a character it does not know (a letter beyond ASCII, CJK) or "n't" gets true.
func (e *Engine) mayName(s string) bool {
	if e.quickOff {
		return true
	}
	const hi = 0x8080808080808080
	runStart := 0      // where the word that goes on into the next chunk started
	carry := uint64(0) // 0x80 when the last byte of the previous chunk was in a word
	for base := 0; base < len(s); base += 8 {
		var v uint64
		if base+8 <= len(s) {
			v = load64(s[base : base+8])
		} else {
			for i := base; i < len(s); i++ {
				v |= uint64(s[i]) << (8 * uint(i-base))
			}
		}
		if v&hi != 0 { // a byte beyond ASCII: read on one character at a time
			if carry != 0 {
				return e.mayNameFrom(s, runStart)
			}
			return e.mayNameFrom(s, base)
		}
		for q := quoteBytes(v); q != 0; q &= q - 1 {
			i := base + bits.TrailingZeros64(q)/8
			if i > 0 && s[i-1]|0x20 == 'n' && i+1 < len(s) && s[i+1]|0x20 == 't' && e.ntMayName(s, i, 1) {
				return true
			}
		}
		alnum := alnumBytes(v)
		if base+8 > len(s) {
			alnum &= (uint64(1) << (8 * uint(len(s)-base))) - 1 // the padding is no word
		}
		prev := alnum<<8 | carry // high bit set where the byte before is in a word
		starts, ends := alnum&^prev, prev&^alnum&hi
		for ends != 0 {
			eb := bits.TrailingZeros64(ends)
			ends &= ends - 1
			if starts != 0 && bits.TrailingZeros64(starts) < eb {
				runStart = base + bits.TrailingZeros64(starts)/8
				starts &= starts - 1
			}
			// The length and shape tests of quickWord, inline: most words fail them.
			end := base + eb/8
			if n := end - runStart; n >= e.quickMin && n <= e.quickMax &&
				e.quickShape.has(s[runStart], s[end-1], n) && e.quick.has(hashFold(s[runStart:end])) {
				return true
			}
		}
		if starts != 0 {
			runStart = base + bits.TrailingZeros64(starts)/8
		}
		carry = alnum >> 56
	}
	return carry != 0 && e.quickWord(s, runStart, len(s))
}

// load64 reads 8 bytes little-endian, in one load.
func load64(b string) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// alnumBytes returns the high bit of every byte of v (all ASCII) that is a letter or a digit.
func alnumBytes(v uint64) uint64 {
	const ones, hi = 0x0101010101010101, 0x8080808080808080
	l := v | 0x2020202020202020 // letters to lower case
	letter := (l + ones*(0x80-'a')) &^ (l + ones*(0x80-'z'-1))
	digit := (v + ones*(0x80-'0')) &^ (v + ones*(0x80-'9'-1))
	return (letter | digit) & hi
}

// quoteBytes returns the high bit of every byte of v (all ASCII) that is an apostrophe or a
// backtick.
func quoteBytes(v uint64) uint64 {
	const lo7, hi = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	zero := func(x uint64) uint64 { return ^(((x & lo7) + lo7) | x) & hi }
	return zero(v^0x2727272727272727) | zero(v^0x6060606060606060)
}

// quickWord reports whether the ASCII word s[i:j] may start an about-group alias.
func (e *Engine) quickWord(s string, i, j int) bool {
	n := j - i
	if n < e.quickMin || n > e.quickMax {
		return false
	}
	if !e.quickShape.has(s[i], s[j-1], n) {
		return false
	}
	return e.quick.has(hashFold(s[i:j]))
}

// ntMayName judges an "n't" whose apostrophe, size bytes long, is at s[i]: the tokeniser
// writes "doesn't" as "does" "not", "won't" as "will" "not", "can't" as "can" "not".
func (e *Engine) ntMayName(s string, i, size int) bool {
	if e.quickNT {
		return true // "not", "will" or "can" starts an alias
	}
	if j := i + size + 1; j < len(s) && (s[j] >= utf8.RuneSelf || asciiClass[s[j]]-clsLower < clsSpace-clsLower) {
		return true // "n'tx": the "t" is dropped and "x" starts a word the reader did not see
	}
	start := i
	for start > 0 && asciiClass[s[start-1]]-clsLower < clsSpace-clsLower {
		start--
	}
	return start < i-1 && e.quickWord(s, start, i-1)
}

// mayNameFrom is mayName one character at a time, from byte i (a word boundary) on.
func (e *Engine) mayNameFrom(s string, i int) bool {
	for i < len(s) {
		c := s[i]
		if cls := asciiClass[c]; cls == clsLower || cls == clsUpper || cls == clsDigit {
			j := i + 1
			for j < len(s) && asciiClass[s[j]]-clsLower < clsSpace-clsLower {
				j++
			}
			if e.quickWord(s, i, j) {
				return true
			}
			i = j
			continue
		}
		size := 1
		apostrophe := c == '\'' || c == '`'
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if !separatorRune(r) {
				return true
			}
			apostrophe = r == '\u2019' || r == '\u2018' || r == '\u02bc'
		}
		if apostrophe && i > 0 && s[i-1]|0x20 == 'n' && i+size < len(s) && s[i+size]|0x20 == 't' && e.ntMayName(s, i, size) {
			return true
		}
		i += size
	}
	return false
}

// separatorRune reports whether r is punctuation or a symbol whose NFKC form has no letter or
// digit, so that it only separates words.
func separatorRune(r rune) bool {
	switch {
	case r >= 0x2010 && r <= 0x201f, r == 0x2026, r == 0x2022, r == 0x2032, r == 0x2033:
		return true
	}
	switch r {
	case 0xa0, 0xa3, 0xa5, 0xa9, 0xab, 0xae, 0xb0, 0xb7, 0xbb, 0x20ac, 0x2039, 0x203a:
		return true
	}
	return false
}

func (e *Engine) isAboutStart(id int32) bool {
	return int(id)/64 < len(e.aboutStart) && e.aboutStart[id/64]&(1<<uint(id%64)) != 0
}

// hit is one match of a trie output over token positions [start, end).
type hit struct {
	em         emit
	start, end int32
}

// scratch holds the per-headline buffers, reused through a pool.
type scratch struct {
	t        text
	aliases  []hit
	anchors  []hit
	mods     []hit
	excluded []int32
	cands    []int32
	spans    []span
	drop     []bool
}

type span struct {
	cue        int32
	anchor     int32 // where the cue's first word stands: modifiers and order are judged there
	start, end int32
	neg, pend  int32  // index into scratch.mods of the modifier that held it back, or -1
	hedge      int32  // index into scratch.mods of a hedge outside the span, or -1
	gaps       uint64 // token positions (below 64) that the cue's "..." gaps skipped
	apart      int32  // an about group named only after a ";" that follows the cue, or -1
}

// held reports whether something holds the span back from asserting its state.
func (sp *span) held() bool { return sp.hedge >= 0 || sp.neg >= 0 || sp.pend >= 0 || sp.apart >= 0 }

// gapBits returns the bits of token positions [from, to) below 64.
func gapBits(from, to int32) uint64 {
	var m uint64
	for i := from; i < to && i < 64; i++ {
		m |= 1 << uint(i)
	}
	return m
}

// Classify returns the signals a headline carries, one per catalyst it is about, ordered by
// catalyst. It returns nil, without allocating, when the headline is about no catalyst.
func (e *Engine) Classify(title string) []Signal {
	if !e.mayName(title) {
		return nil
	}
	return e.classify(title)
}

// classify is Classify without the prefilter.
func (e *Engine) classify(title string) []Signal {
	sc := e.pool.Get().(*scratch)
	defer e.pool.Put(sc)
	e.match(sc, title, false)
	if len(sc.aliases) == 0 {
		return nil
	}
	var out []Signal
	for _, ci := range sc.cands {
		if sig, ok := e.evaluate(sc, ci, nil); ok {
			out = append(out, sig)
		}
	}
	return out
}

// match tokenises the title and records every trie output over it. Unless full is set, it stops
// early when no word of the title can start an alias of a group some catalyst is about: such a
// headline is about no catalyst.
func (e *Engine) match(sc *scratch, title string, full bool) {
	sc.aliases, sc.anchors, sc.mods = sc.aliases[:0], sc.anchors[:0], sc.mods[:0]
	sc.excluded, sc.cands = sc.excluded[:0], sc.cands[:0]
	normalize(&sc.t, title)
	toks := sc.t.tokens
	about := full
	for i := range toks {
		tk := &toks[i]
		id := e.vocab.lookup(sc.t.buf[tk.start:tk.end], tk.hash)
		tk.id = id
		if id >= 0 && !about && e.isAboutStart(id) {
			about = true
		}
	}
	if !about {
		return
	}
	for i := range toks {
		id := toks[i].id
		if id < 0 {
			continue
		}
		node := e.root[id]
		for j := i; node != 0; {
			for _, em := range e.outs[e.outStart[node]:e.outStart[node+1]] {
				e.record(sc, em, int32(i), int32(j))
			}
			if j++; j >= len(toks) || toks[j].id < 0 {
				break
			}
			node = e.edges.get(node, toks[j].id)
		}
	}
	if len(sc.excluded) > 0 {
		kept := sc.cands[:0]
		for _, c := range sc.cands {
			if !containsInt32(sc.excluded, c) {
				kept = append(kept, c)
			}
		}
		sc.cands = kept
	}
	// Insertion sort: there are few candidates, and sort.Slice would allocate.
	for i := 1; i < len(sc.cands); i++ {
		for j := i; j > 0 && sc.cands[j] < sc.cands[j-1]; j-- {
			sc.cands[j], sc.cands[j-1] = sc.cands[j-1], sc.cands[j]
		}
	}
}

// record notes one trie output over tokens [i, j].
func (e *Engine) record(sc *scratch, em emit, i, j int32) {
	h := hit{em: em, start: i, end: j + 1}
	switch em.kind {
	case kindAlias:
		sc.aliases = append(sc.aliases, h)
		sc.addCandidate(em.cat)
	case kindTicker:
		if j == i && isTickerForm(&sc.t, int(i)) {
			sc.aliases = append(sc.aliases, h)
			sc.addCandidate(em.cat)
		}
	case kindExclude:
		sc.excluded = append(sc.excluded, em.cat)
	case kindAnchor:
		sc.anchors = append(sc.anchors, h)
	case kindBreak, kindConj:
		fl := flagBreak
		if em.kind == kindConj {
			fl = flagConj
		}
		for k := i; k <= j; k++ {
			sc.t.tokens[k].flags |= fl
		}
	default:
		sc.mods = append(sc.mods, h)
	}
}

func (sc *scratch) addCandidate(c int32) {
	if !containsInt32(sc.cands, c) {
		sc.cands = append(sc.cands, c)
	}
}

func containsInt32(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// isTickerForm reports whether token i is written as a ticker: capitals, and "$X", "(X)" or
// "NYSE: X" / "NASDAQ: X" / "HKEX: X".
func isTickerForm(t *text, i int) bool {
	tk := t.tokens[i]
	if tk.flags&flagUpper == 0 {
		return false
	}
	if tk.flags&(flagDollar|flagParen) != 0 {
		return true
	}
	if i >= 2 && t.is(i-1, ":") {
		switch string(t.bytes(i - 2)) {
		case "nyse", "nasdaq", "hkex", "sehk", "hk":
			return true
		}
	}
	return false
}

// evaluate decides the signal of one candidate catalyst. When ex is not nil it records why.
func (e *Engine) evaluate(sc *scratch, ci int32, ex *CatalystExplanation) (Signal, bool) {
	c := e.catalysts[ci]
	var groups uint64
	for _, h := range sc.aliases {
		if h.em.cat == ci {
			groups |= 1 << uint(h.em.group)
		}
	}
	if ex != nil {
		for _, h := range sc.aliases {
			if h.em.cat == ci {
				ex.Aliases = append(ex.Aliases, c.groupNames[h.em.group]+"="+e.phrase(sc, h.start, h.end))
			}
		}
	}
	if groups&c.about != c.about {
		if ex != nil {
			ex.Verdict = "not about this catalyst: missing " + strings.Join(c.missing(groups), ", ")
		}
		return Signal{}, false
	}
	sc.spans = sc.spans[:0]
	for _, h := range sc.anchors {
		node := h.em.ref
		k, _ := slices.BinarySearchFunc(c.cues, node, func(cu cue, n int32) int { return int(cu.anchor) - int(n) })
		for ; k < len(c.cues) && c.cues[k].anchor == node; k++ {
			cu := &e.patterns[c.cues[k].pattern]
			if req := c.require[c.cues[k].state]; req&groups != req {
				continue
			}
			var gaps uint64
			start, ok := e.before(sc, ci, cu.before, h.start, &gaps)
			if !ok {
				continue
			}
			end, ok := e.follow(sc, ci, cu.after, 0, h.end, &gaps)
			if !ok {
				continue
			}
			sc.spans = append(sc.spans, span{cue: int32(k), anchor: h.start, start: start, end: end,
				neg: -1, pend: -1, hedge: -1, gaps: gaps, apart: -1})
		}
	}
	e.dropContained(c, sc)
	best, bestSub := -1, false
	for i := range sc.spans {
		sp := &sc.spans[i]
		e.heldBack(sc, c, sp)
		sp.apart = e.apart(sc, ci, c, sp)
		if ex != nil {
			ex.Cues = append(ex.Cues, e.cueExplanation(sc, c, sp))
		}
		if sp.held() {
			continue
		}
		// The main clause comes before a subordinate one ("After months of warnings, Disney
		// sues ByteDance" reports a lawsuit, not the warnings); within each, the earliest cue.
		sub := e.subordinate(sc, sp.start)
		if best < 0 || !sub && bestSub ||
			sub == bestSub && (sp.anchor < sc.spans[best].anchor ||
				sp.anchor == sc.spans[best].anchor && sp.end-sp.start > sc.spans[best].end-sc.spans[best].start) {
			best, bestSub = i, sub
		}
	}
	sig := Signal{Catalyst: c.def.ID, State: Mention}
	for _, h := range sc.aliases {
		if h.em.cat == ci {
			sig.Aliases = append(sig.Aliases, c.groupNames[h.em.group]+"="+e.phrase(sc, h.start, h.end))
		}
	}
	if best >= 0 {
		sp := sc.spans[best]
		cu := c.cues[sp.cue]
		sig.State = c.states[cu.state]
		sig.Cue = e.phrase(sc, sp.start, sp.end)
		sig.Reason = fmt.Sprintf("cue %q asserts %s", sig.Cue, sig.State)
		if others := e.otherDecisive(sc, c, best); others != "" {
			if bestSub || !e.laterSubordinate(sc, best) {
				sig.Reason += "; earliest decisive cue wins over " + others
			} else {
				sig.Reason += "; the main clause's cue wins over " + others
			}
		}
	} else {
		sig.Reason = "about the catalyst, no decisive cue"
		for i := range sc.spans {
			sp := sc.spans[i]
			cu := c.cues[sp.cue]
			if sig.Cue == "" {
				sig.Cue = e.phrase(sc, sp.start, sp.end)
				sig.Reason = fmt.Sprintf("cue %q (%s) held back", sig.Cue, c.states[cu.state])
			}
			if sp.neg >= 0 {
				m := sc.mods[sp.neg]
				sig.Negations = appendUnique(sig.Negations, e.phrase(sc, m.start, m.end))
			}
			if sp.pend >= 0 {
				m := sc.mods[sp.pend]
				sig.Pending = appendUnique(sig.Pending, e.phrase(sc, m.start, m.end))
			}
		}
		for _, m := range sc.mods {
			if m.em.kind == kindHedge {
				sig.Hedges = appendUnique(sig.Hedges, e.phrase(sc, m.start, m.end))
			}
		}
		var why []string
		if len(sig.Hedges) > 0 {
			why = append(why, "hedged by "+quoteJoin(sig.Hedges))
		}
		if len(sig.Negations) > 0 {
			why = append(why, "negated by "+quoteJoin(sig.Negations))
		}
		if len(sig.Pending) > 0 {
			why = append(why, "a step before the decision: "+quoteJoin(sig.Pending))
		}
		for _, sp := range sc.spans {
			if sp.apart >= 0 && sp.hedge < 0 && sp.neg < 0 && sp.pend < 0 {
				why = append(why, c.groupNames[sp.apart]+" named only in another report after \";\"")
				break
			}
		}
		if len(why) > 0 && len(sc.spans) > 0 {
			sig.Reason += ": " + strings.Join(why, "; ")
		}
	}
	if ex != nil {
		ex.Verdict = sig.State + " (" + sig.Reason + ")"
	}
	return sig, true
}

func (c *compiled) missing(groups uint64) []string {
	var out []string
	for i, g := range c.groupNames {
		if c.about&(1<<uint(i)) != 0 && groups&(1<<uint(i)) == 0 {
			out = append(out, g)
		}
	}
	return out
}

// apart returns an about group of catalyst ci that the headline names only in a part after a
// ";" that follows the span's part, or -1. A semicolon joins two separate reports: in "Universal
// settles with ByteDance; Disney case continues" the settlement is not Disney's.
func (e *Engine) apart(sc *scratch, ci int32, c *compiled, sp *span) int32 {
	toks := sc.t.tokens
	semi := func(k int32) bool { return toks[k].flags&flagBreak != 0 && sc.t.is(int(k), ";") }
	from, to := sp.start, sp.end
	for from > 0 && !semi(from-1) {
		from--
	}
	for int(to) < len(toks) && !semi(to) {
		to++
	}
	if int(to) == len(toks) {
		return -1
	}
	var in, later uint64
	for _, h := range sc.aliases {
		if h.em.cat != ci {
			continue
		}
		switch {
		case h.start >= from && h.end <= to:
			in |= 1 << uint(h.em.group)
		case h.start > to:
			later |= 1 << uint(h.em.group)
		}
	}
	if miss := c.about &^ in & later; miss != 0 {
		return int32(bits.TrailingZeros64(miss))
	}
	return -1
}

// laterSubordinate reports whether a decisive span before the best one was passed over because
// it stands in a subordinate clause.
func (e *Engine) laterSubordinate(sc *scratch, best int) bool {
	for i := range sc.spans {
		sp := &sc.spans[i]
		if i != best && !sp.held() && sp.anchor < sc.spans[best].anchor {
			return true
		}
	}
	return false
}

// subordinate reports whether the clause holding token at is opened by a break word ("after",
// "amid", "as", "following", "尽管") rather than by punctuation or the start of the headline:
// such a clause gives the background of the headline's main clause.
func (e *Engine) subordinate(sc *scratch, at int32) bool {
	toks := sc.t.tokens
	for k := at - 1; k >= 0; k-- {
		if toks[k].flags&flagBreak == 0 {
			continue
		}
		if toks[k].flags&flagCJK != 0 {
			return true
		}
		r, _ := utf8.DecodeRune(sc.t.bytes(int(k)))
		return unicode.IsLetter(r)
	}
	return false
}

// before checks the group placeholders and gaps written before a cue's anchor, nearest first,
// and returns the cue's start.
func (e *Engine) before(sc *scratch, ci int32, els []element, pos int32, gaps *uint64) (int32, bool) {
	toks := sc.t.tokens
	for i := len(els) - 1; i >= 0; i-- {
		gap := int32(0)
		if els[i].gap > 0 {
			gap = int32(els[i].gap)
			i-- // a gap is always preceded by a group
		}
		found, foundEnd := int32(-1), int32(0)
		for _, h := range sc.aliases {
			if h.em.cat != ci || h.em.ref != els[i].group || h.end > pos || pos-h.end > 2*gap {
				continue
			}
			clear, cost := true, int32(0)
			for k := h.end; k < pos; k++ {
				if toks[k].flags&flagBreak != 0 {
					clear = false
					break
				}
				cost += gapCost(toks[k])
			}
			clear = clear && cost <= 2*gap
			if clear && (found < 0 || h.start > found) {
				found, foundEnd = h.start, h.end
			}
		}
		if found < 0 {
			return 0, false
		}
		*gaps |= gapBits(foundEnd, pos)
		pos = found
	}
	return pos, true
}

// follow matches the elements after a cue's anchor from token p and returns the cue's end.
func (e *Engine) follow(sc *scratch, ci int32, els []element, k int, p int32, gaps *uint64) (int32, bool) {
	if k == len(els) {
		return p, true
	}
	toks := sc.t.tokens
	el := els[k]
	switch {
	case el.lit != nil:
		if int(p)+len(el.lit) > len(toks) {
			return 0, false
		}
		for i, id := range el.lit {
			if toks[int(p)+i].id != id {
				return 0, false
			}
		}
		return e.follow(sc, ci, els, k+1, p+int32(len(el.lit)), gaps)
	case el.gap > 0:
		cost := int32(0)
		for d := int32(0); int(p+d) <= len(toks); d++ {
			if d > 0 {
				if toks[p+d-1].flags&flagBreak != 0 {
					break
				}
				if cost += gapCost(toks[p+d-1]); cost > 2*int32(el.gap) {
					break
				}
			}
			if end, ok := e.follow(sc, ci, els, k+1, p+d, gaps); ok {
				*gaps |= gapBits(p, p+d)
				return end, true
			}
		}
		return 0, false
	default:
		for _, h := range sc.aliases {
			if h.em.cat == ci && h.em.ref == el.group && h.start == p {
				if end, ok := e.follow(sc, ci, els, k+1, h.end, gaps); ok {
					return end, true
				}
			}
		}
		return 0, false
	}
}

// gapCost is what one skipped token costs a "..." gap, in half words: a word costs two, a CJK
// character one, since a Chinese word is mostly two characters ("...", four words, spans eight
// characters of "驳回迪士尼对字节跳动的诉讼").
func gapCost(tk token) int32 {
	if tk.flags&flagCJK != 0 {
		return 1
	}
	return 2
}

// dropContained removes cue spans that lie inside a longer span of the same state, so that
// "agrees to settle" is judged whole and not as a deferred "settle"; and spans whose "..." gap
// skipped over the first word of a cue of another state, so that "files to dismiss Disney suit"
// is not read as "files ... suit".
func (e *Engine) dropContained(c *compiled, sc *scratch) {
	sc.drop = sc.drop[:0]
	for i, a := range sc.spans {
		inside := false
		for j, b := range sc.spans {
			if i == j {
				continue
			}
			if c.cues[a.cue].state != c.cues[b.cue].state {
				if b.anchor < 64 && a.gaps&(1<<uint(b.anchor)) != 0 {
					inside = true
					break
				}
				continue
			}
			if b.start <= a.start && a.end <= b.end && (b.end-b.start > a.end-a.start || j < i && b.start == a.start && b.end == a.end) {
				inside = true
				break
			}
		}
		sc.drop = append(sc.drop, inside)
	}
	kept := sc.spans[:0]
	for i, a := range sc.spans {
		if !sc.drop[i] {
			kept = append(kept, a)
		}
	}
	sc.spans = kept
}

// heldBack finds a hedge (anywhere in the headline but inside the cue itself, as "rumours" in
// "shoots down rumours"), or a negation or a pending step that reaches the span.
func (e *Engine) heldBack(sc *scratch, c *compiled, sp *span) {
	cu := &e.patterns[c.cues[sp.cue].pattern]
	toks := sc.t.tokens
	clear := func(from, to int32) bool { // no clause break or conjunction in [from, to)
		for i := from; i < to; i++ {
			if toks[i].flags&(flagBreak|flagConj) != 0 {
				return false
			}
		}
		return true
	}
	for i, m := range sc.mods {
		switch m.em.kind {
		case kindHedge:
			if sp.hedge < 0 && !e.literalOf(sc, cu, sp, m) {
				sp.hedge = int32(i)
			}
		case kindNegation, kindPending:
			if m.end <= sp.anchor && sp.anchor-m.end <= e.scope && clear(m.end, sp.anchor) {
				if m.em.kind == kindNegation {
					if sp.neg < 0 {
						sp.neg = int32(i)
					}
				} else if sp.pend < 0 {
					sp.pend = int32(i)
				}
			}
		case kindAdjacent:
			if m.end == sp.anchor && sp.pend < 0 {
				sp.pend = int32(i)
			}
		case kindAfter:
			if m.start >= sp.end && m.start-sp.end <= 1 && clear(sp.end, m.start) && sp.pend < 0 {
				sp.pend = int32(i)
			}
		}
	}
}

// literalOf reports whether a modifier's words are written words of the cue itself, within its
// span ("rumours" in "shoots down ... rumours"), rather than a gap or an entity it spans.
func (e *Engine) literalOf(sc *scratch, cu *pattern, sp *span, m hit) bool {
	if m.start < sp.start || m.end > sp.end {
		return false
	}
	for k := m.start; k < m.end; k++ {
		id := sc.t.tokens[k].id
		found := containsInt32(cu.lit, id)
		for _, el := range cu.after {
			found = found || containsInt32(el.lit, id)
		}
		if !found {
			return false
		}
	}
	return true
}

func (e *Engine) otherDecisive(sc *scratch, c *compiled, best int) string {
	var others []string
	for i, sp := range sc.spans {
		if i == best || sp.held() {
			continue
		}
		if st := c.states[c.cues[sp.cue].state]; st != c.states[c.cues[sc.spans[best].cue].state] {
			others = append(others, fmt.Sprintf("%q (%s)", e.phrase(sc, sp.start, sp.end), st))
		}
	}
	return strings.Join(others, ", ")
}

// phrase rebuilds the normalised words of tokens [start, end).
func (e *Engine) phrase(sc *scratch, start, end int32) string {
	var b strings.Builder
	for i := start; i < end; i++ {
		tk := sc.t.tokens[i]
		if i > start && !(tk.flags&flagCJK != 0 && sc.t.tokens[i-1].flags&flagCJK != 0) {
			b.WriteByte(' ')
		}
		b.Write(sc.t.buf[tk.start:tk.end])
	}
	return b.String()
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

func quoteJoin(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
