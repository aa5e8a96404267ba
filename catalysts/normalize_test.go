package catalysts_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/catalyst-monitor/catalyst/catalysts"
)

func words(toks []catalysts.TokenForTest) string {
	w := make([]string, len(toks))
	for i, t := range toks {
		w[i] = t.Word
	}
	return strings.Join(w, " ")
}

// TestNormalize: how a headline is folded and cut into tokens, and which tokens carry flags.
func TestNormalize(t *testing.T) {
	type flag struct {
		word string
		get  func(catalysts.TokenForTest) bool
		want bool
	}
	upper := func(t catalysts.TokenForTest) bool { return t.Upper }
	dollar := func(t catalysts.TokenForTest) bool { return t.Dollar }
	paren := func(t catalysts.TokenForTest) bool { return t.Paren }
	brk := func(t catalysts.TokenForTest) bool { return t.Break }
	cjk := func(t catalysts.TokenForTest) bool { return t.CJK }
	cases := map[string]struct {
		in, want string
		flags    []flag
	}{
		"case_folded":         {"Alibaba CONFIRMS HappyHorse", "alibaba confirms happyhorse", []flag{{"confirms", upper, true}, {"alibaba", upper, false}}},
		"one_capital_is_not":  {"A B", "a b", []flag{{"a", upper, false}}},
		"digits_split_on_dot": {"HappyHorse-1.0 and 9988.HK", "happyhorse 1 0 and 9988 hk", []flag{{"1", brk, false}}},
		"full_width":          {"ＡＬＩＢＡＢＡ ｃｏｎｆｉｒｍｓ ＨａｐｐｙＨｏｒｓｅ－１．０", "alibaba confirms happyhorse 1 0", []flag{{"alibaba", upper, true}}},
		"curly_apostrophe":    {"Alibaba’s model", "alibaba s model", nil},
		"contraction":         {"Alibaba hasn't confirmed", "alibaba has not confirmed", nil},
		"curly_contraction":   {"Disney won’t settle, can’t wait", "disney will not settle , can not wait", nil},
		"contraction_caps":    {"ALIBABA ISN'T BEHIND IT", "alibaba is not behind it", nil},
		"curly_quotes":        {"“HappyHorse” is ‘official’", "happyhorse is official", nil},
		"spaced_hyphen":       {"Alibaba - Tongyi", "alibaba - tongyi", []flag{{"-", brk, true}}},
		"spaced_en_dash":      {"Alibaba – Tongyi", "alibaba - tongyi", []flag{{"-", brk, true}}},
		"unspaced_em_dash":    {"Alibaba—Tongyi", "alibaba - tongyi", []flag{{"-", brk, true}}},
		"unspaced_en_dash":    {"Happy Horse–1.0", "happy horse 1 0", nil},
		"hyphen_in_word":      {"Happy-Horse", "happy horse", nil},
		"double_hyphen":       {"Disney v. ByteDance -- complaint", "disney v bytedance - complaint", []flag{{"-", brk, true}}},
		"double_hyphen_tight": {"comment--Tongyi", "comment - tongyi", []flag{{"-", brk, true}}},
		"dollar_ticker":       {"$DIS rises", "dis rises", []flag{{"dis", dollar, true}, {"dis", upper, true}, {"rises", dollar, false}}},
		"paren_ticker":        {"Disney (DIS) sues", "disney dis sues", []flag{{"dis", paren, true}, {"disney", paren, false}, {"sues", paren, false}}},
		"paren_not_direct":    {"(Disney DIS)", "disney dis", []flag{{"disney", paren, true}, {"dis", paren, false}}},
		"abbreviations":       {"Disney Enterprises, Inc. v. ByteDance Ltd. U.S. court", "disney enterprises , inc v bytedance ltd u s court", []flag{{",", brk, true}}},
		"full_stop":           {"Alibaba confirms. Shares jump.", "alibaba confirms . shares jump .", []flag{{".", brk, true}}},
		"clause_marks":        {"Alibaba: yes; no! maybe | why?", "alibaba : yes ; no ! maybe | why ?", []flag{{":", brk, true}, {"?", brk, false}}},
		"cjk":                 {"阿里巴巴确认HappyHorse", "阿 里 巴 巴 确 认 happyhorse", []flag{{"阿", cjk, true}, {"happyhorse", cjk, false}}},
		"cjk_punctuation":     {"迪士尼，字节跳动", "迪 士 尼 , 字 节 跳 动", []flag{{",", brk, true}}},
		"nbsp_and_ellipsis":   {"Alibaba\u00a0confirms… HappyHorse", "alibaba confirms . happyhorse", nil},
		"combining_mark":      {"Nestle\u0301 and Telefónica", "nestlé and telefónica", nil},
		"accented_capitals":   {"ÉLYSÉE", "élysée", []flag{{"élysée", upper, true}}},
		"empty":               {"", "", nil},
		"only_space":          {" \t ", "", nil},
		"invalid_utf8":        {"Alibaba \xff confirms", "alibaba confirms", nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			toks := catalysts.NormalizeForTest(tc.in)
			if got := words(toks); got != tc.want {
				t.Fatalf("NormalizeForTest(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for _, f := range tc.flags {
				i := slices.IndexFunc(toks, func(t catalysts.TokenForTest) bool { return t.Word == f.word })
				if i < 0 {
					t.Fatalf("no token %q", f.word)
				}
				if got := f.get(toks[i]); got != f.want {
					t.Errorf("token %q: flag %v, want %v (%+v)", f.word, got, f.want, toks[i])
				}
			}
		})
	}
}

var normalizeSeeds = []string{
	"Alibaba confirms it is behind HappyHorse-1.0",
	"ＡＬＩＢＡＢＡ’s “HappyHorse” — confirmed",
	"阿里巴巴确认HappyHorse-1.0为其视频生成模型",
	"Disney (DIS) v. ByteDance -- judge won't rule",
	"$BABA: NYSE: BABA (BABA) 9988.HK",
	"n't 'n't n’T won't can't",
	"Nestle\u0301 \u0130stanbul \u212a \ufb01nance ﬀ Ⅻ ²",
	"\xff\xfe\x00 a\x80b",
	"\xf3ϱ",
	"... -- — – - . ? ! , ; : |",
	"(((((( )))))) $$$ $",
	"İİ ǅ Σσς ß ẞ",
	"",
}

// FuzzNormalize: normalising never panics, gives valid UTF-8 tokens, and is idempotent: the
// space-joined tokens of a normalised text normalise to the same tokens.
func FuzzNormalize(f *testing.F) {
	for _, s := range normalizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := catalysts.NormalizeForTest(s)
		for _, tk := range toks {
			if tk.Word == "" || !utf8.ValidString(tk.Word) {
				t.Fatalf("%q: bad token %q", s, tk.Word)
			}
		}
		once := words(toks)
		if twice := words(catalysts.NormalizeForTest(once)); twice != once {
			t.Fatalf("%q: normalised %q, again %q", s, once, twice)
		}
	})
}

// FuzzClassify: classifying never panics; signals name only configured catalysts and their
// states, one signal per catalyst; the prefilter never changes the result; Explain never panics.
func FuzzClassify(f *testing.F) {
	cfg, e := seed(f)
	states := map[string]map[string]bool{}
	for _, d := range cfg.Catalysts {
		states[d.ID] = map[string]bool{catalysts.Mention: true}
		for s := range d.States {
			states[d.ID][s] = true
		}
	}
	for _, s := range append(normalizeSeeds,
		"Disney sues ByteDance over Seedance 2.0",
		"Alibaba has not confirmed HappyHorse-1.0 and denies involvement",
		"HappyHorse-1.0 now available on Alibaba Cloud Model Studio",
		"HappyHorse plush toys fly off shelves",
		"Disney hasn't sued ByteDance; Alibaba’s HappyHorse isn't Disney's",
		"迪士尼起诉字节跳动，阿里巴巴否认HappyHorse",
		strings.Repeat("Alibaba HappyHorse confirms ", 40),
	) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sigs := e.Classify(s)
		seen := map[string]bool{}
		for _, sig := range sigs {
			st, ok := states[sig.Catalyst]
			if !ok {
				t.Fatalf("%q: unknown catalyst %q", s, sig.Catalyst)
			}
			if !st[sig.State] {
				t.Fatalf("%q: %s has no state %q", s, sig.Catalyst, sig.State)
			}
			if seen[sig.Catalyst] {
				t.Fatalf("%q: two signals for %s", s, sig.Catalyst)
			}
			seen[sig.Catalyst] = true
		}
		if full := e.ClassifyWithoutPrefilterForTest(s); !sameSignals(sigs, full) {
			t.Fatalf("%q: prefilter changed the result: %+v, without it %+v", s, sigs, full)
		}
		_ = e.Explain(s)
	})
}

// TestPrefilterNoise: over every noise headline, the prefilter changes no result.
func TestPrefilterNoise(t *testing.T) {
	_, seedEng := seed(t)
	gen := generatedEngine(t, 1000)
	for _, l := range readJSONL(t, "noise.jsonl") {
		for _, e := range []*catalysts.Engine{seedEng, gen} {
			if !e.MayNameForTest(l.Title) {
				if sigs := e.ClassifyWithoutPrefilterForTest(l.Title); len(sigs) > 0 {
					t.Errorf("%s: prefilter dropped %+v: %s", l.ID, sigs, l.Title)
				}
			}
		}
	}
}

// TestPrefilterAliases: aliases of every shape are found with the prefilter as without it.
func TestPrefilterAliases(t *testing.T) {
	def := catalysts.Definition{ID: "shapes", Initial: "idle",
		Entities: map[string]catalysts.Phrases{"org": {
			"(Société_Générale|3M|AT&T|Procter_&_Gamble|$SOGN|Can_Fin|Nothing_Phone|X|Mo)",
		}},
		About:  []string{"org"},
		States: map[string]catalysts.State{"idle": {}, "sued": {Cues: catalysts.Phrases{"(sues|sued)"}}},
	}
	e, err := catalysts.NewEngine([]catalysts.Definition{def}, catalysts.Language{Negations: catalysts.Phrases{"not"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		headline string
		state    string // "" for no signal
	}{
		"accented":               {"Société Générale sued in Paris", "sued"},
		"accented_decomposed":    {"Socie\u0301te\u0301 Ge\u0301ne\u0301rale sued in Paris", "sued"},
		"unaccented_differs":     {"Societe Generale sued in Paris", ""},
		"digit_start":            {"3M sued over earplugs", "sued"},
		"ampersand":              {"AT&T sued by shareholders", "sued"},
		"ampersand_spaced":       {"Procter & Gamble sues rival", "sued"},
		"ticker_form":            {"$SOGN sued", "sued"},
		"ticker_lower":           {"$sogn sued", ""},
		"contraction_stem":       {"Can't Fin-d it: Can Fin sued", "sued"},
		"contraction_no":         {"Investors can't stop buying", ""},
		"contraction_not":        {"Nothing Phone sued; X isn't", "sued"},
		"single_letter":          {"X sues a rival", "sued"},
		"full_width":             {"３Ｍ sued again", "sued"},
		"curly_and_dash":         {"“3M” — sued", "sued"},
		"split_across_chunks":    {"abcdefg 3M abcdefghijklmnop sued", "sued"},
		"contraction_stem_alias": {"Mon't sued", catalysts.Mention},
		"nothing":                {"Shares of Acme rose 3% on Tuesday", ""},
	} {
		t.Run(name, func(t *testing.T) {
			got := e.Classify(tc.headline)
			if full := e.ClassifyWithoutPrefilterForTest(tc.headline); !sameSignals(got, full) {
				t.Fatalf("prefilter changed the result: %+v, without it %+v", got, full)
			}
			state := ""
			if len(got) > 0 {
				state = got[0].State
			}
			if state != tc.state {
				t.Errorf("state %q, want %q\n%s", state, tc.state, explain(e, tc.headline))
			}
		})
	}
}
