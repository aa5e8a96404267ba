package catalysts

// storyWords returns the distinct words of a title that identify its story: the title folded
// like a headline, without a trailing " - Publisher" or "| Publisher" and without stop words.
func storyWords(title string) []string {
	var t text
	normalize(&t, title)
	toks := t.tokens
	// Cut a trailing attribution: a spaced dash or bar followed by at most four words.
	for i := len(toks) - 1; i >= 0 && i >= len(toks)-5; i-- {
		if w := t.tok(i); toks[i].flags&flagBreak != 0 && (w == "-" || w == "|") {
			toks = toks[:i]
			break
		}
	}
	var words []string
	for i := range toks {
		if toks[i].flags&flagBreak != 0 {
			continue
		}
		w := string(t.buf[toks[i].start:toks[i].end])
		if stopWords[w] {
			continue
		}
		words = appendUnique(words, w)
	}
	return words
}

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "on": true, "for": true,
	"and": true, "with": true, "at": true, "by": true, "from": true, "as": true, "its": true,
	"s": true, "is": true, "it": true, "that": true, "this": true, "?": true, "exclusive": true,
	"update": true, "updated": true, "breaking": true,
}

// SameStory reports whether two titles are copies of one story: after dropping publisher
// suffixes and stop words, their word sets overlap by at least 70% (Jaccard), or the shorter
// one (five words or more) is wholly inside the longer one.
func SameStory(a, b string) bool { return sameStoryWords(storyWords(a), storyWords(b)) }

// sameStoryWords is SameStory on titles already cut into story words.
func sameStoryWords(wa, wb []string) bool {
	if len(wa) == 0 || len(wb) == 0 {
		return len(wa) == len(wb)
	}
	inter := 0
	for _, x := range wa {
		for _, y := range wb {
			if x == y {
				inter++
				break
			}
		}
	}
	union := len(wa) + len(wb) - inter
	if float64(inter) >= 0.7*float64(union) {
		return true
	}
	short := len(wa)
	if len(wb) < short {
		short = len(wb)
	}
	return short >= 5 && inter == short
}
