package feeds

import (
	"regexp"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://WWW.Example.COM:443/a/b?utm_source=rss&id=7&utm_medium=feed#frag", "https://www.example.com/a/b?id=7"},
		{"http://example.com", "http://example.com/"},
		{"http://example.com:80/x?b=2&a=1", "http://example.com/x?a=1&b=2"},
		{"https://example.com:8443/x", "https://example.com:8443/x"},
		{"https://example.com/x?fbclid=abc&gclid=def&mc_cid=1&mc_eid=2&ref=twitter", "https://example.com/x"},
		{"https://example.com/x?UTM_Campaign=a&Ref=b&keep=1", "https://example.com/x?keep=1"},
		{"https://user:secret@example.com/x", "https://example.com/x"},
		{"https://example.com/x?", "https://example.com/x"},
		{"https://example.com/x?q=a%20b&&p=1", "https://example.com/x?p=1&q=a%20b"},
		{"https://example.com/path%2Fencoded?x=1", "https://example.com/path%2Fencoded?x=1"},
		{"  /relative#frag ", "/relative"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	base := Headline{Title: "Disney reportedly picks new CEO", Source: "reuters.com", Link: "https://www.reuters.com/a?utm_source=x", GUID: "urn:reuters:1"}
	with := func(f func(*Headline)) Headline {
		h := base
		f(&h)
		return h
	}
	tests := []struct {
		name string
		a, b Headline
		same bool
	}{
		{"same guid, changed title gives a new key", base, with(func(h *Headline) { h.Title = "Disney confirms new CEO" }), false},
		{"same guid, cosmetic title change", base, with(func(h *Headline) { h.Title = "  DISNEY   Reportedly picks new CEO " }), true},
		{"same guid, curly vs straight quotes", with(func(h *Headline) { h.Title = "Disney’s CEO" }), with(func(h *Headline) { h.Title = "Disney's CEO" }), true},
		{"guid ignores feed, source and link", base, with(func(h *Headline) { h.Feed, h.Source, h.Link = "other", "x.com", "https://x.com/" }), true},
		{"different guids", base, with(func(h *Headline) { h.GUID = "urn:reuters:2" }), false},
		{"link: different utm gives the same key",
			with(func(h *Headline) { h.GUID = "" }),
			with(func(h *Headline) { h.GUID, h.Link = "", "https://www.reuters.com/a?utm_source=y&utm_campaign=z#top" }), true},
		{"link: tracking params removed",
			with(func(h *Headline) { h.GUID, h.Link = "", "https://www.reuters.com/a" }),
			with(func(h *Headline) {
				h.GUID, h.Link = "", "https://www.reuters.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=5"
			}), true},
		{"link: real params kept",
			with(func(h *Headline) { h.GUID, h.Link = "", "https://www.reuters.com/a?id=1" }),
			with(func(h *Headline) { h.GUID, h.Link = "", "https://www.reuters.com/a?id=2" }), false},
		{"link: changed title gives a new key",
			with(func(h *Headline) { h.GUID = "" }),
			with(func(h *Headline) { h.GUID, h.Title = "", "Disney confirms new CEO" }), false},
		{"title only: source matters",
			Headline{Title: "Markets rally", Source: "a.com"}, Headline{Title: "Markets rally", Source: "b.com"}, false},
		{"title only: same",
			Headline{Title: "Markets rally", Source: "a.com"}, Headline{Title: "markets  rally", Source: "A.com"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := Key(tt.a), Key(tt.b)
			if (ka == kb) != tt.same {
				t.Errorf("Key(a) = %s, Key(b) = %s, same = %v, want %v", ka, kb, ka == kb, tt.same)
			}
		})
	}

	shape := regexp.MustCompile(`^[glt]:[0-9a-f]{32}$`)
	for _, h := range []Headline{base, with(func(h *Headline) { h.GUID = "" }), {Title: "t"}, {}} {
		k := Key(h)
		if !shape.MatchString(k) {
			t.Errorf("Key(%+v) = %q, want prefix and 32 hex digits", h, k)
		}
		if k != Key(h) {
			t.Errorf("Key is not stable")
		}
	}
	if k := Key(base); k[0] != 'g' {
		t.Errorf("guid key = %s", k)
	}
	if k := Key(with(func(h *Headline) { h.GUID = " " })); k[0] != 'l' {
		t.Errorf("blank guid should fall back to the link: %s", k)
	}
	if k := Key(Headline{Title: "x"}); k[0] != 't' {
		t.Errorf("title key = %s", k)
	}
}
