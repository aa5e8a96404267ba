package catalysts

// Hooks for the external tests.

// MayNameForTest is the prefilter alone.
func (e *Engine) MayNameForTest(s string) bool { return e.mayName(s) }

// ClassifyWithoutPrefilterForTest classifies without the prefilter, which must not change the
// result.
func (e *Engine) ClassifyWithoutPrefilterForTest(s string) []Signal { return e.classify(s) }

// TokenForTest is one token of a normalised text and its flags.
type TokenForTest struct {
	Word                             string
	Upper, Dollar, Paren, Break, CJK bool
}

// NormalizeForTest folds s as the engine does.
func NormalizeForTest(s string) []TokenForTest {
	var t text
	normalize(&t, s)
	out := make([]TokenForTest, len(t.tokens))
	for i, tk := range t.tokens {
		out[i] = TokenForTest{Word: t.tok(i), Upper: tk.flags&flagUpper != 0, Dollar: tk.flags&flagDollar != 0,
			Paren: tk.flags&flagParen != 0, Break: tk.flags&flagBreak != 0, CJK: tk.flags&flagCJK != 0}
		if tk.hash != hashBytes(t.bytes(i)) {
			panic("token hash out of date: " + t.tok(i))
		}
	}
	return out
}

// PendingCount is how much evidence a machine keeps for a state.
func PendingCount(m *Machine, state string) int { return len(m.pending[state]) }
