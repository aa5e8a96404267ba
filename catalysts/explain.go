package catalysts

import (
	"fmt"
	"io"
	"strings"
)

// Explanation tells a user why a headline got its signals.
type Explanation struct {
	Headline  string                `json:"headline"`
	Words     string                `json:"words"`
	Hedges    []string              `json:"hedges,omitempty"`
	Modifiers []string              `json:"modifiers,omitempty"`
	Catalysts []CatalystExplanation `json:"catalysts"`
}

// CatalystExplanation is the reasoning for one catalyst the headline named.
type CatalystExplanation struct {
	Catalyst string   `json:"catalyst"`
	Aliases  []string `json:"aliases"`
	Cues     []string `json:"cues,omitempty"`
	Verdict  string   `json:"verdict"`
}

// Explain classifies a headline and records every alias, cue, hedge and negation that took part.
func (e *Engine) Explain(title string) Explanation {
	sc := &scratch{}
	e.match(sc, title, true)
	ex := Explanation{Headline: title, Words: e.phrase(sc, 0, int32(len(sc.t.tokens)))}
	for _, m := range sc.mods {
		kind := map[uint8]string{kindHedge: "hedge", kindNegation: "negation", kindPending: "pending",
			kindAdjacent: "pending (adjacent)", kindAfter: "pending (after)"}[m.em.kind]
		w := e.phrase(sc, m.start, m.end)
		if m.em.kind == kindHedge {
			ex.Hedges = appendUnique(ex.Hedges, w)
		}
		ex.Modifiers = append(ex.Modifiers, fmt.Sprintf("%s %q at word %d", kind, w, m.start+1))
	}
	for i, tk := range sc.t.tokens {
		w := sc.t.buf[tk.start:tk.end]
		if len(w) == 0 || !isWordByte(w[0]) && tk.flags&flagCJK == 0 {
			continue // punctuation breaks are plain to see
		}
		switch {
		case tk.flags&flagBreak != 0:
			ex.Modifiers = append(ex.Modifiers, fmt.Sprintf("break %q at word %d", w, i+1))
		case tk.flags&flagConj != 0:
			ex.Modifiers = append(ex.Modifiers, fmt.Sprintf("conjunction %q at word %d", w, i+1))
		}
	}
	for _, ci := range sc.cands {
		ce := CatalystExplanation{Catalyst: e.catalysts[ci].def.ID}
		e.evaluate(sc, ci, &ce)
		ex.Catalysts = append(ex.Catalysts, ce)
	}
	for _, ci := range sc.excluded {
		ex.Catalysts = append(ex.Catalysts, CatalystExplanation{
			Catalyst: e.catalysts[ci].def.ID, Verdict: "excluded by one of its exclude phrases"})
	}
	return ex
}

func (e *Engine) cueExplanation(sc *scratch, c *compiled, sp *span) string {
	cu := c.cues[sp.cue]
	s := fmt.Sprintf("%q → %s (rule %q)", e.phrase(sc, sp.start, sp.end), c.states[cu.state], e.patterns[cu.pattern].text)
	switch {
	case sp.hedge >= 0:
		m := sc.mods[sp.hedge]
		s += fmt.Sprintf(": hedged by %q", e.phrase(sc, m.start, m.end))
	case sp.neg >= 0:
		m := sc.mods[sp.neg]
		s += fmt.Sprintf(": negated by %q", e.phrase(sc, m.start, m.end))
	case sp.pend >= 0:
		m := sc.mods[sp.pend]
		s += fmt.Sprintf(": a step before the decision (%q)", e.phrase(sc, m.start, m.end))
	case sp.apart >= 0:
		s += fmt.Sprintf(": %s is named only after a \";\", in another report", c.groupNames[sp.apart])
	default:
		s += ": decisive"
	}
	return s
}

// Write prints the explanation for a person.
func (ex Explanation) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "headline: %s\n", ex.Headline)
	fmt.Fprintf(&b, "words:    %s\n", ex.Words)
	for _, m := range ex.Modifiers {
		fmt.Fprintf(&b, "modifier: %s\n", m)
	}
	if len(ex.Catalysts) == 0 {
		b.WriteString("no catalyst is named: no signal\n")
	}
	for _, c := range ex.Catalysts {
		fmt.Fprintf(&b, "\n%s\n", c.Catalyst)
		if len(c.Aliases) > 0 {
			fmt.Fprintf(&b, "  aliases: %s\n", strings.Join(c.Aliases, ", "))
		}
		for _, cu := range c.Cues {
			fmt.Fprintf(&b, "  cue:     %s\n", cu)
		}
		fmt.Fprintf(&b, "  verdict: %s\n", c.Verdict)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80
}
