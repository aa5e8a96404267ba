package catalysts

import (
	"fmt"
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
)

// emit is one meaning of a matched phrase.
type emit struct {
	kind  uint8
	group int16 // alias, ticker: group index within the catalyst
	cat   int32 // alias, ticker, exclude: catalyst index
	ref   int32 // modifier: index into Engine.modText; anchor: the anchor's node
}

// element is one part of a cue after its anchor.
type element struct {
	lit   []int32 // literal tokens, or nil
	group int16   // group placeholder, when lit is nil and gap is 0
	gap   int8    // up to gap arbitrary words (no clause break), when > 0
}

// cue is one compiled cue phrase of one state.
type cue struct {
	text    string
	state   int16
	anchor  int32     // trie node of the anchor literal
	anchorN int32     // tokens in the anchor literal
	before  []element // group placeholders and gaps before the anchor, nearest last
	after   []element // what must follow the anchor
	require uint64    // groups that must be named in the headline
}

type anchorCue struct {
	node int32
	cue  int32
}

// compiled is one catalyst ready to evaluate.
type compiled struct {
	def        *Definition
	groupNames []string
	about      uint64
	states     []string // index 0 is unused ("" = no state)
	cues       []cue
	byAnchor   []anchorCue // sorted by node
}

// builder accumulates the vocabulary and trie while compiling.
type builder struct {
	e *Engine
	t text
}

func (b *builder) tokens(phrase string) ([]int32, []string) {
	normalize(&b.t, phrase)
	ids := make([]int32, 0, len(b.t.tokens))
	words := make([]string, 0, len(b.t.tokens))
	for i := range b.t.tokens {
		w := b.t.tok(i)
		id, ok := b.e.vocab[w]
		if !ok {
			id = int32(len(b.e.vocab))
			b.e.vocab[w] = id
		}
		ids = append(ids, id)
		words = append(words, w)
	}
	return ids, words
}

// insert adds a token sequence to the trie and returns its final node.
func (b *builder) insert(ids []int32) int32 {
	node := int32(0)
	for _, id := range ids {
		k := edgeKey(node, id)
		next, ok := b.e.edges[k]
		if !ok {
			next = int32(len(b.e.outputs))
			b.e.outputs = append(b.e.outputs, nil)
			b.e.edges[k] = next
		}
		node = next
	}
	return node
}

func (b *builder) add(ids []int32, em emit) int32 {
	node := b.insert(ids)
	for _, old := range b.e.outputs[node] {
		if old == em {
			return node
		}
	}
	b.e.outputs[node] = append(b.e.outputs[node], em)
	return node
}

func edgeKey(node, id int32) uint64 { return uint64(uint32(node))<<32 | uint64(uint32(id)) }

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

// compileCue parses one expanded cue: words, {group} placeholders and "..." gaps.
func (b *builder) compileCue(c *compiled, state int16, text string, require uint64) (cue, error) {
	cu := cue{text: text, state: state, require: require}
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
			g := c.group(f[1 : len(f)-1])
			if g < 0 {
				return cu, fmt.Errorf("cue %q names unknown entity group %q", text, f)
			}
			elems = append(elems, element{group: g})
		case f == "...":
			flush()
			elems = append(elems, element{gap: 4})
		default:
			ids, _ := b.tokens(f)
			lit = append(lit, ids...)
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
		return cu, fmt.Errorf("cue %q has no literal word", text)
	}
	if first > 0 && elems[0].gap > 0 {
		return cu, fmt.Errorf("cue %q starts with a gap", text)
	}
	for i := 0; i < first; i++ {
		if i > 0 && elems[i].gap > 0 && elems[i-1].gap > 0 {
			return cu, fmt.Errorf("cue %q has two gaps in a row", text)
		}
		cu.before = append(cu.before, elems[i])
	}
	cu.anchorN = int32(len(elems[first].lit))
	cu.anchor = b.anchorNode(elems[first].lit)
	cu.after = elems[first+1:]
	if n := len(cu.after); n > 0 && cu.after[n-1].gap > 0 {
		return cu, fmt.Errorf("cue %q ends with a gap", text)
	}
	return cu, nil
}

func (b *builder) anchorNode(ids []int32) int32 {
	node := b.insert(ids)
	for i, em := range b.e.outputs[node] {
		if em.kind == kindAnchor {
			b.e.outputs[node][i].ref = node
			return node
		}
	}
	b.e.outputs[node] = append(b.e.outputs[node], emit{kind: kindAnchor, ref: node})
	return node
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
	for g := range d.Entities {
		c.groupNames = append(c.groupNames, g)
	}
	sort.Strings(c.groupNames)
	if len(c.groupNames) > 64 {
		return nil, fmt.Errorf("catalyst %s: at most 64 entity groups", d.ID)
	}
	for gi, g := range c.groupNames {
		for _, alias := range d.Entities[g] {
			for _, a := range expandAlternatives(alias) {
				kind := kindAlias
				if strings.HasPrefix(a, "$") {
					kind = kindTicker
					a = a[1:]
				}
				ids, _ := b.tokens(a)
				if len(ids) == 0 {
					return nil, fmt.Errorf("catalyst %s: alias %q has no words", d.ID, alias)
				}
				b.add(ids, emit{kind: kind, cat: idx, group: int16(gi)})
			}
		}
	}
	for _, x := range d.Exclude {
		for _, a := range expandAlternatives(x) {
			ids, _ := b.tokens(a)
			if len(ids) > 0 {
				b.add(ids, emit{kind: kindExclude, cat: idx})
			}
		}
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
	stateNames := make([]string, 0, len(d.States))
	for s := range d.States {
		stateNames = append(stateNames, s)
	}
	sort.Strings(stateNames)
	c.states = append(c.states, stateNames...)
	for _, s := range stateNames {
		st := d.States[s]
		req := c.about
		if len(st.Require) > 0 {
			if req, err = mask(st.Require); err != nil {
				return nil, err
			}
		}
		si := c.stateIndex(s)
		for _, raw := range st.Cues {
			for _, text := range expandAlternatives(raw) {
				cu, err := b.compileCue(c, si, text, req)
				if err != nil {
					return nil, fmt.Errorf("catalyst %s state %s: %w", d.ID, s, err)
				}
				c.byAnchor = append(c.byAnchor, anchorCue{node: cu.anchor, cue: int32(len(c.cues))})
				c.cues = append(c.cues, cu)
			}
		}
	}
	sort.Slice(c.byAnchor, func(i, j int) bool { return c.byAnchor[i].node < c.byAnchor[j].node })
	return c, nil
}
