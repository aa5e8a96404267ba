package catalysts

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// emit kinds: what reaching a trie node means.
const (
	kindAlias uint8 = iota + 1
	kindTicker
	kindExclude
	kindAnchor
	kindHedge
	kindNegation
	kindPending
	kindAdjacent
	kindAfter
	kindBreak
	kindConj
)

// emit is one meaning of a matched phrase.
type emit struct {
	kind  uint8
	group int16 // alias, ticker: group index within the catalyst
	cat   int32 // alias, ticker, exclude: catalyst index
	ref   int32 // alias, ticker: engine-wide group name id; modifier: index into Engine.modText
}

// element is one part of a cue pattern besides its anchor.
type element struct {
	lit   []int32 // literal tokens, or nil
	group int32   // engine-wide group name id of a placeholder, when lit is nil and gap is 0
	gap   int8    // up to gap arbitrary words (no clause break), when > 0
}

// pattern is one expanded cue phrase ("sues ... {bytedance}"), compiled once per engine and
// shared by every catalyst and state that writes it.
type pattern struct {
	text   string
	anchor int32     // trie node of the anchor: the first literal words
	lit    []int32   // the anchor's tokens
	before []element // group placeholders and gaps before the anchor, nearest last
	after  []element // what must follow the anchor
	groups []int32   // the group name ids it names
}

// cue is one pattern used by one state of one catalyst.
type cue struct {
	anchor  int32 // the pattern's anchor node: a catalyst's cues are sorted by it
	pattern int32
	state   int16
}

// compiled is one catalyst ready to evaluate.
type compiled struct {
	def        *Definition
	groupNames []string
	groupIDs   []int32 // engine-wide name id of each group
	about      uint64
	states     []string // index 0 is unused ("" = no state)
	require    []uint64 // groups each state's cues need, by state index
	cues       []cue    // sorted by anchor
}

// localGroup returns the catalyst's group index for an engine-wide group name id, or -1.
func (c *compiled) localGroup(id int32) int16 {
	for i, g := range c.groupIDs {
		if g == id {
			return int16(i)
		}
	}
	return -1
}

// builder accumulates the vocabulary, the trie and the patterns while compiling.
type builder struct {
	e        *Engine
	t        text
	ids      []int32
	outs     [][]emit            // trie node → outputs, flattened into the engine at the end
	patterns map[string][]int32  // raw cue phrase → its expanded patterns
	groupIDs map[string]int32    // group name → engine-wide id
	errs     map[string]error    // raw cue phrase → its compile error
	expanded map[string][]string // raw phrase → expandAlternatives, for phrases used again
}

func newBuilder(e *Engine) *builder {
	return &builder{e: e, outs: [][]emit{nil}, patterns: map[string][]int32{},
		groupIDs: map[string]int32{}, errs: map[string]error{}, expanded: map[string][]string{}}
}

// tokens folds a phrase and returns its vocabulary ids, adding new words. The slice is reused
// by the next call.
func (b *builder) tokens(phrase string) []int32 {
	normalize(&b.t, phrase)
	b.ids = b.ids[:0]
	for i := range b.t.tokens {
		b.ids = append(b.ids, b.e.vocab.insert(b.t.bytes(i), b.t.tokens[i].hash))
	}
	if n := b.e.vocab.len(); len(b.e.root) < n {
		b.e.root = append(b.e.root, make([]int32, n-len(b.e.root))...)
	}
	return b.ids
}

// insert adds a token sequence to the trie and returns its final node.
func (b *builder) insert(ids []int32) int32 {
	node := int32(0)
	for i, id := range ids {
		var next int32
		if i == 0 {
			next = b.e.root[id]
		} else {
			next = b.e.edges.get(node, id)
		}
		if next == 0 {
			next = int32(len(b.outs))
			b.outs = append(b.outs, nil)
			if i == 0 {
				b.e.root[id] = next
			} else {
				b.e.edges.put(node, id, next)
			}
		}
		node = next
	}
	return node
}

func (b *builder) add(ids []int32, em emit) int32 {
	node := b.insert(ids)
	if !slices.Contains(b.outs[node], em) {
		b.outs[node] = append(b.outs[node], em)
	}
	return node
}

// finish flattens the trie outputs and trims the tables.
func (b *builder) finish() {
	e := b.e
	e.outStart = make([]int32, len(b.outs)+1)
	n := 0
	for _, o := range b.outs {
		n += len(o)
	}
	e.outs = make([]emit, 0, n)
	for i, o := range b.outs {
		e.outStart[i] = int32(len(e.outs))
		e.outs = append(e.outs, o...)
	}
	e.outStart[len(b.outs)] = int32(len(e.outs))
	e.vocab.compact()
	e.root = slices.Clip(e.root)
	e.aboutStart = slices.Clip(e.aboutStart)
}

// expand is expandAlternatives, remembered for phrases that many catalysts share.
func (b *builder) expand(phrase string) []string {
	if x, ok := b.expanded[phrase]; ok {
		return x
	}
	x := expandAlternatives(phrase)
	b.expanded[phrase] = x
	return x
}

// expandAlternatives turns "(sue|sues) {bytedance}" into every combination of the alternatives.
func expandAlternatives(phrase string) []string {
	out := []string{""}
	for _, f := range strings.Fields(phrase) {
		var alts []string
		if strings.HasPrefix(f, "(") && strings.HasSuffix(f, ")") && strings.Contains(f, "|") {
			alts = strings.Split(f[1:len(f)-1], "|")
		} else {
			alts = []string{f}
		}
		next := make([]string, 0, len(out)*len(alts))
		for _, o := range out {
			for _, a := range alts {
				a = strings.ReplaceAll(a, "_", " ")
				switch {
				case o == "":
					next = append(next, a)
				case a == "":
					next = append(next, o)
				default:
					next = append(next, o+" "+a)
				}
			}
		}
		out = next
	}
	return out
}

func (b *builder) groupID(name string) int32 {
	id, ok := b.groupIDs[name]
	if !ok {
		id = int32(len(b.e.groupNames))
		b.groupIDs[name] = id
		b.e.groupNames = append(b.e.groupNames, name)
	}
	return id
}

// cuePatterns compiles a raw cue phrase into its expanded patterns, once per engine.
func (b *builder) cuePatterns(raw string) ([]int32, error) {
	if ps, ok := b.patterns[raw]; ok {
		return ps, b.errs[raw]
	}
	var ps []int32
	var err error
	for _, text := range b.expand(raw) {
		var p pattern
		if p, err = b.compilePattern(text); err != nil {
			break
		}
		ps = append(ps, int32(len(b.e.patterns)))
		b.e.patterns = append(b.e.patterns, p)
	}
	b.patterns[raw], b.errs[raw] = ps, err
	return ps, err
}

// compilePattern parses one expanded cue: words, {group} placeholders and "..." gaps.
func (b *builder) compilePattern(text string) (pattern, error) {
	p := pattern{text: text}
	var elems []element
	var lit []int32
	flush := func() {
		if len(lit) > 0 {
			elems = append(elems, element{lit: lit})
			lit = nil
		}
	}
	for _, f := range strings.Fields(text) {
		switch {
		case strings.HasPrefix(f, "{") && strings.HasSuffix(f, "}"):
			flush()
			g := b.groupID(f[1 : len(f)-1])
			elems = append(elems, element{group: g})
			if !slices.Contains(p.groups, g) {
				p.groups = append(p.groups, g)
			}
		case f == "...":
			flush()
			elems = append(elems, element{gap: 4})
		default:
			lit = append(lit, b.tokens(f)...)
		}
	}
	flush()
	first := -1
	for i, el := range elems {
		if el.lit != nil {
			first = i
			break
		}
	}
	if first < 0 {
		return p, fmt.Errorf("cue %q has no literal word", text)
	}
	if first > 0 && elems[0].gap > 0 {
		return p, fmt.Errorf("cue %q starts with a gap", text)
	}
	for i := 0; i < first; i++ {
		if i > 0 && elems[i].gap > 0 && elems[i-1].gap > 0 {
			return p, fmt.Errorf("cue %q has two gaps in a row", text)
		}
	}
	for i := first + 1; i < len(elems); i++ {
		if elems[i].gap > 0 && elems[i-1].gap > 0 {
			return p, fmt.Errorf("cue %q has two gaps in a row", text)
		}
	}
	p.before = elems[:first:first]
	p.lit = elems[first].lit
	p.anchor = b.anchorNode(p.lit)
	p.after = elems[first+1:]
	if n := len(p.after); n > 0 && p.after[n-1].gap > 0 {
		return p, fmt.Errorf("cue %q ends with a gap", text)
	}
	return p, nil
}

func (b *builder) anchorNode(ids []int32) int32 {
	node := b.insert(ids)
	return b.add(ids, emit{kind: kindAnchor, ref: node})
}

func (c *compiled) group(name string) int16 {
	for i, g := range c.groupNames {
		if g == name {
			return int16(i)
		}
	}
	return -1
}

func (c *compiled) stateIndex(name string) int16 {
	for i, s := range c.states {
		if i > 0 && s == name {
			return int16(i)
		}
	}
	return -1
}

// compileCatalyst adds one catalyst's aliases and cues to the engine.
func (b *builder) compileCatalyst(idx int32, d *Definition) (*compiled, error) {
	c := &compiled{def: d, states: []string{""}}
	c.groupNames = make([]string, 0, len(d.Entities))
	for g := range d.Entities {
		c.groupNames = append(c.groupNames, g)
	}
	sort.Strings(c.groupNames)
	if len(c.groupNames) > 64 {
		return nil, fmt.Errorf("catalyst %s: at most 64 entity groups", d.ID)
	}
	c.groupIDs = make([]int32, len(c.groupNames))
	for gi, g := range c.groupNames {
		c.groupIDs[gi] = b.groupID(g)
	}
	mask := func(groups []string) (uint64, error) {
		var m uint64
		for _, g := range groups {
			gi := c.group(g)
			if gi < 0 {
				return 0, fmt.Errorf("catalyst %s: unknown entity group %q", d.ID, g)
			}
			m |= 1 << uint(gi)
		}
		return m, nil
	}
	var err error
	if c.about, err = mask(d.About); err != nil {
		return nil, err
	}
	if c.about == 0 {
		return nil, fmt.Errorf("catalyst %s: about must name at least one entity group", d.ID)
	}
	for gi, g := range c.groupNames {
		for _, alias := range d.Entities[g] {
			for _, a := range expandAlternatives(alias) {
				kind := kindAlias
				if strings.HasPrefix(a, "$") {
					kind = kindTicker
					a = a[1:]
				}
				ids := b.tokens(a)
				if len(ids) == 0 {
					return nil, fmt.Errorf("catalyst %s: alias %q has no words", d.ID, alias)
				}
				b.add(ids, emit{kind: kind, cat: idx, group: int16(gi), ref: c.groupIDs[gi]})
				if c.about&(1<<uint(gi)) != 0 {
					b.e.markAboutStart(ids[0])
				}
			}
		}
	}
	for _, x := range d.Exclude {
		for _, a := range b.expand(x) {
			if ids := b.tokens(a); len(ids) > 0 {
				b.add(ids, emit{kind: kindExclude, cat: idx})
			}
		}
	}
	stateNames := make([]string, 0, len(d.States))
	for s := range d.States {
		stateNames = append(stateNames, s)
	}
	sort.Strings(stateNames)
	c.states = append(c.states, stateNames...)
	c.require = make([]uint64, len(c.states))
	for _, s := range stateNames {
		st := d.States[s]
		si := c.stateIndex(s)
		c.require[si] = c.about
		if len(st.Require) > 0 {
			if c.require[si], err = mask(st.Require); err != nil {
				return nil, err
			}
		}
		for _, raw := range st.Cues {
			ps, err := b.cuePatterns(raw)
			if err != nil {
				return nil, fmt.Errorf("catalyst %s state %s: %w", d.ID, s, err)
			}
			for _, pi := range ps {
				p := &b.e.patterns[pi]
				for _, g := range p.groups {
					if c.localGroup(g) < 0 {
						return nil, fmt.Errorf("catalyst %s state %s: cue %q names unknown entity group %q",
							d.ID, s, p.text, "{"+b.e.groupNames[g]+"}")
					}
				}
				c.cues = append(c.cues, cue{anchor: p.anchor, pattern: pi, state: si})
			}
		}
	}
	c.cues = slices.Clip(c.cues)
	slices.SortStableFunc(c.cues, func(x, y cue) int { return int(x.anchor) - int(y.anchor) })
	return c, nil
}
