package catalysts

import (
	"fmt"
	"slices"
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
	combo    []int32      // the tokens of one combination of alternatives
	alts     [][2]int32   // per field, its alternatives as a range of altText
	altText  []string     // alternatives, substrings of the phrase
	pick     []int32      // the alternative chosen per field
	nodes    int32        // trie nodes so far (the root is node 0)
	outs     []nodeEmit   // trie outputs, flattened into the engine at the end
	cues     []cue        // every catalyst's cues, back to back
	strs     []string     // every catalyst's group names and states, back to back
	i32s     []int32      // every catalyst's group ids, back to back
	u64s     []uint64     // every catalyst's state requirements, back to back
	ranges   []arenaRange // per catalyst, where its slices lie in those arenas
	gnames   []string     // scratch for one catalyst
	gids     []int32
	snames   []string
	req      []uint64
	patterns map[string][]int32 // raw cue phrase → its expanded patterns
	groupIDs map[string]int32   // group name → engine-wide id
	errs     map[string]error   // raw cue phrase → its compile error
}

// nodeEmit is one trie output while building.
type nodeEmit struct {
	node int32
	em   emit
}

func newBuilder(e *Engine) *builder {
	return &builder{e: e, nodes: 1, patterns: map[string][]int32{},
		groupIDs: map[string]int32{}, errs: map[string]error{}}
}

// tokens folds a phrase and returns its vocabulary ids, adding new words. The slice is reused
// by the next call.
func (b *builder) tokens(phrase string) []int32 {
	normalize(&b.t, phrase)
	b.ids = b.ids[:0]
	for i := range b.t.tokens {
		b.ids = append(b.ids, b.e.vocab.insert(b.t.bytes(i), b.t.tokens[i].hash))
	}
	for len(b.e.root) < b.e.vocab.len() {
		b.e.root = append(b.e.root, 0)
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
			next = b.nodes
			b.nodes++
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
	b.outs = append(b.outs, nodeEmit{node, em})
	return node
}

// reserve sizes the builder's arenas and tables for the definitions, so that they are
// allocated once rather than grown (10,000 catalysts would otherwise allocate three times the
// engine's size while building it).
func (b *builder) reserve(defs []Definition) {
	var cues, strs, groups, states, outs int
	for i := range defs {
		d := &defs[i]
		groups += len(d.Entities)
		states += len(d.States) + 1
		for _, st := range d.States {
			for _, raw := range st.Cues {
				ps, _ := b.cuePatterns(raw) // errors are reported in order by compileCatalyst
				cues += len(ps)
			}
		}
		for _, aliases := range d.Entities {
			for _, a := range aliases {
				outs += countAlternatives(a)
			}
		}
		for _, x := range d.Exclude {
			outs += countAlternatives(x)
		}
	}
	strs = groups + states
	b.cues = slices.Grow(b.cues, cues)
	b.strs = slices.Grow(b.strs, strs)
	b.i32s = slices.Grow(b.i32s, groups)
	b.u64s = slices.Grow(b.u64s, states)
	b.ranges = slices.Grow(b.ranges, len(defs))
	b.outs = slices.Grow(b.outs, outs+len(b.e.patterns))
	b.e.edges.reserve(outs)
	b.e.vocab.reserve(outs)
}

// countAlternatives returns how many phrases expandAlternatives makes of one.
func countAlternatives(phrase string) int {
	n, alts, open := 1, 1, false
	for i := 0; i < len(phrase); i++ {
		switch phrase[i] {
		case '(':
			open, alts = true, 1
		case '|':
			alts++
		case ')':
			if open {
				n *= alts
			}
			open = false
		}
	}
	return n
}

// finish lays the trie outputs out by node (in the order they were added, without repeats),
// hands each catalyst its cues, and trims the tables.
func (b *builder) finish() {
	e := b.e
	e.outStart = make([]int32, b.nodes+1)
	for _, o := range b.outs {
		e.outStart[o.node+1]++
	}
	for i := int32(1); i <= b.nodes; i++ {
		e.outStart[i] += e.outStart[i-1]
	}
	e.outs = make([]emit, len(b.outs))
	fill := make([]int32, b.nodes)
	for _, o := range b.outs {
		lo := e.outStart[o.node]
		if !slices.Contains(e.outs[lo:lo+fill[o.node]], o.em) {
			e.outs[lo+fill[o.node]] = o.em
			fill[o.node]++
		}
	}
	// Close the gaps the repeats left.
	n := int32(0)
	for node := int32(0); node < b.nodes; node++ {
		lo := e.outStart[node]
		e.outStart[node] = n
		n += int32(copy(e.outs[n:], e.outs[lo:lo+fill[node]]))
	}
	e.outStart[b.nodes] = n
	e.outs = slices.Clip(e.outs[:n])
	gi, si := int32(0), int32(0) // positions in i32s and u64s
	for i, r := range b.ranges {
		c := e.catalysts[i]
		c.cues = b.cues[r.cue[0]:r.cue[1]:r.cue[1]]
		c.groupNames = b.strs[r.group[0]:r.group[1]:r.group[1]]
		c.states = b.strs[r.state[0]:r.state[1]:r.state[1]]
		ng, ns := r.group[1]-r.group[0], r.state[1]-r.state[0]
		c.groupIDs = b.i32s[gi : gi+ng : gi+ng]
		c.require = b.u64s[si : si+ns : si+ns]
		gi, si = gi+ng, si+ns
	}
	e.vocab.compact()
	e.root = slices.Clip(e.root)
	e.aboutStart = slices.Clip(e.aboutStart)
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

// eachAlternative calls fn with the tokens of every combination of a phrase's alternatives,
// "(Zorvex|Zorvex_Holdings) (Inc|)", and with whether it starts with "$" (a ticker). It
// allocates nothing once its buffers have grown; the tokens are valid during the call only.
func (b *builder) eachAlternative(phrase string, fn func(ids []int32, ticker bool) error) error {
	b.alts, b.altText, b.pick = b.alts[:0], b.altText[:0], b.pick[:0]
	for rest := phrase; ; {
		rest = strings.TrimLeft(rest, " \t\n\r")
		if rest == "" {
			break
		}
		end := strings.IndexAny(rest, " \t\n\r")
		if end < 0 {
			end = len(rest)
		}
		f := rest[:end]
		rest = rest[end:]
		lo := int32(len(b.altText))
		if strings.HasPrefix(f, "(") && strings.HasSuffix(f, ")") && strings.Contains(f, "|") {
			for in := f[1 : len(f)-1]; ; {
				i := strings.IndexByte(in, '|')
				if i < 0 {
					b.altText = append(b.altText, in)
					break
				}
				b.altText = append(b.altText, in[:i])
				in = in[i+1:]
			}
		} else {
			b.altText = append(b.altText, f)
		}
		b.alts = append(b.alts, [2]int32{lo, int32(len(b.altText))})
		b.pick = append(b.pick, lo)
	}
	for {
		b.combo = b.combo[:0]
		ticker, first := false, true
		for k := range b.alts {
			a := b.altText[b.pick[k]]
			if a == "" {
				continue
			}
			if first {
				ticker, first = a[0] == '$', false
			}
			b.combo = append(b.combo, b.tokens(a)...)
		}
		if err := fn(b.combo, ticker); err != nil {
			return err
		}
		// The next combination, the last field changing fastest.
		k := len(b.alts) - 1
		for ; k >= 0; k-- {
			if b.pick[k]++; b.pick[k] < b.alts[k][1] {
				break
			}
			b.pick[k] = b.alts[k][0]
		}
		if k < 0 {
			return nil
		}
	}
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
	for _, text := range expandAlternatives(raw) {
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

// compileCatalyst adds one catalyst's aliases and cues to the engine, into c. Its slices are
// the builder's scratch buffers until finish moves them into the shared arenas.
func (b *builder) compileCatalyst(idx int32, d *Definition, c *compiled) error {
	*c = compiled{def: d}
	b.gnames = b.gnames[:0]
	for g := range d.Entities {
		b.gnames = append(b.gnames, g)
	}
	slices.Sort(b.gnames)
	c.groupNames = b.gnames
	if len(c.groupNames) > 64 {
		return fmt.Errorf("catalyst %s: at most 64 entity groups", d.ID)
	}
	b.gids = b.gids[:0]
	for _, g := range c.groupNames {
		b.gids = append(b.gids, b.groupID(g))
	}
	c.groupIDs = b.gids
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
		return err
	}
	if c.about == 0 {
		return fmt.Errorf("catalyst %s: about must name at least one entity group", d.ID)
	}
	for gi, g := range c.groupNames {
		for _, alias := range d.Entities[g] {
			err := b.eachAlternative(alias, func(ids []int32, ticker bool) error {
				kind := kindAlias
				if ticker {
					kind = kindTicker
				}
				if len(ids) == 0 {
					return fmt.Errorf("catalyst %s: alias %q has no words", d.ID, alias)
				}
				b.add(ids, emit{kind: kind, cat: idx, group: int16(gi), ref: c.groupIDs[gi]})
				if c.about&(1<<uint(gi)) != 0 {
					b.e.markAboutStart(ids[0])
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	for _, x := range d.Exclude {
		_ = b.eachAlternative(x, func(ids []int32, _ bool) error {
			if len(ids) > 0 {
				b.add(ids, emit{kind: kindExclude, cat: idx})
			}
			return nil
		})
	}
	b.snames = append(b.snames[:0], "")
	for s := range d.States {
		b.snames = append(b.snames, s)
	}
	slices.Sort(b.snames[1:])
	c.states = b.snames
	b.req = b.req[:0]
	for range c.states {
		b.req = append(b.req, 0)
	}
	c.require = b.req
	lo := len(b.cues)
	for si, s := range c.states {
		if si == 0 {
			continue
		}
		st := d.States[s]
		c.require[si] = c.about
		if len(st.Require) > 0 {
			if c.require[si], err = mask(st.Require); err != nil {
				return err
			}
		}
		for _, raw := range st.Cues {
			ps, err := b.cuePatterns(raw)
			if err != nil {
				return fmt.Errorf("catalyst %s state %s: %w", d.ID, s, err)
			}
			for _, pi := range ps {
				p := &b.e.patterns[pi]
				for _, g := range p.groups {
					if c.localGroup(g) < 0 {
						return fmt.Errorf("catalyst %s state %s: cue %q names unknown entity group %q",
							d.ID, s, p.text, "{"+b.e.groupNames[g]+"}")
					}
				}
				b.cues = append(b.cues, cue{anchor: p.anchor, pattern: pi, state: int16(si)})
			}
		}
	}
	slices.SortStableFunc(b.cues[lo:], func(x, y cue) int { return int(x.anchor) - int(y.anchor) })
	r := arenaRange{cue: [2]int32{int32(lo), int32(len(b.cues))}}
	r.group[0] = int32(len(b.strs))
	b.strs = append(b.strs, c.groupNames...)
	r.group[1] = int32(len(b.strs))
	r.state[0] = int32(len(b.strs))
	b.strs = append(b.strs, c.states...)
	r.state[1] = int32(len(b.strs))
	b.i32s = append(b.i32s, c.groupIDs...)
	b.u64s = append(b.u64s, c.require...)
	b.ranges = append(b.ranges, r)
	return nil
}

// arenaRange is where one catalyst's slices lie in the builder's arenas: cues in cues, group
// names and states in strs. Its group ids and requirements follow the previous catalyst's in
// i32s and u64s.
type arenaRange struct {
	cue, group, state [2]int32
}
