package catalysts

import (
	"encoding/binary"
	"slices"
)

// Compact open-addressing tables for the hot path. Go maps would do, but these look a word up
// by the hash the tokeniser computed while folding it, and take a fraction of the memory.

// hashBytes hashes a folded word eight bytes at a time.
func hashBytes(b []byte) uint32 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	for len(b) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(b)) * 0xff51afd7ed558ccd
		h ^= h >> 29
		b = b[8:]
	}
	var tail uint64
	for i, c := range b {
		tail |= uint64(c) << (8 * uint(i))
	}
	h = (h ^ tail) * 0xc4ceb9fe1a85ec53
	h ^= h >> 32
	return uint32(h)
}

// wordTable maps a folded word to its vocabulary id (0, 1, 2 ... in insertion order).
type wordTable struct {
	slots []wordSlot // power-of-two length, at most half full
	arena []byte     // every word, back to back
	ends  []uint32   // ends[id] is where word id ends in arena; it starts at ends[id-1]
}

type wordSlot struct {
	hash uint32
	id   int32 // id + 1; 0 marks an empty slot
}

func (w *wordTable) len() int { return len(w.ends) }

func (w *wordTable) word(id int32) []byte {
	start := uint32(0)
	if id > 0 {
		start = w.ends[id-1]
	}
	return w.arena[start:w.ends[id]]
}

// lookup returns the id of word b, whose FNV-1a hash is h, or -1.
func (w *wordTable) lookup(b []byte, h uint32) int32 {
	if len(w.slots) == 0 {
		return -1
	}
	mask := uint32(len(w.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := w.slots[i]
		if s.id == 0 {
			return -1
		}
		if s.hash == h && string(w.word(s.id-1)) == string(b) {
			return s.id - 1
		}
	}
}

// insert returns the id of word b, adding it when new.
func (w *wordTable) insert(b []byte, h uint32) int32 {
	if id := w.lookup(b, h); id >= 0 {
		return id
	}
	if 2*(len(w.ends)+1) > len(w.slots) {
		w.grow(len(w.ends))
	}
	id := int32(len(w.ends))
	w.arena = append(w.arena, b...)
	w.ends = append(w.ends, uint32(len(w.arena)))
	w.place(wordSlot{hash: h, id: id + 1})
	return id
}

func (w *wordTable) place(s wordSlot) {
	mask := uint32(len(w.slots) - 1)
	i := s.hash & mask
	for w.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	w.slots[i] = s
}

// reserve makes room for about n more words without growing.
func (w *wordTable) reserve(n int) {
	if 2*(len(w.ends)+n) > len(w.slots) {
		w.grow((len(w.ends) + n) / 2)
	}
	w.ends = slices.Grow(w.ends, n)
	w.arena = slices.Grow(w.arena, 8*n)
}

func (w *wordTable) grow(words int) {
	old := w.slots
	n := 64
	for n < 4*(words+1) {
		n *= 2
	}
	w.slots = make([]wordSlot, n)
	for _, s := range old {
		if s.id != 0 {
			w.place(s)
		}
	}
}

// compact trims the arena and ends of their spare capacity once the vocabulary is complete.
func (w *wordTable) compact() {
	w.arena = append([]byte(nil), w.arena...)
	w.ends = append([]uint32(nil), w.ends...)
}

// edgeTable maps (trie node, word id) to the child node, for nodes below the root (the root's
// children are in Engine.root, indexed by word id).
type edgeTable struct {
	keys []uint64 // node<<32 | id, + 1 so that 0 marks an empty slot
	vals []int32
	n    int
}

func edgeKey(node, id int32) uint64 { return uint64(uint32(node))<<32 | uint64(uint32(id)) }

func mix64(k uint64) uint32 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return uint32(k)
}

// get returns the child of node by word id, or 0 (the root, never a child) when there is none.
func (t *edgeTable) get(node, id int32) int32 {
	if len(t.keys) == 0 {
		return 0
	}
	k := edgeKey(node, id) + 1
	mask := uint32(len(t.keys) - 1)
	for i := mix64(k) & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return t.vals[i]
		case 0:
			return 0
		}
	}
}

func (t *edgeTable) put(node, id, child int32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow(t.n)
	}
	t.place(edgeKey(node, id)+1, child)
	t.n++
}

func (t *edgeTable) place(k uint64, v int32) {
	mask := uint32(len(t.keys) - 1)
	i := mix64(k) & mask
	for t.keys[i] != 0 && t.keys[i] != k {
		i = (i + 1) & mask
	}
	t.keys[i], t.vals[i] = k, v
}

// reserve makes room for about n more edges without growing.
func (t *edgeTable) reserve(n int) {
	if 2*(t.n+n) > len(t.keys) {
		t.grow((t.n + n) / 2)
	}
}

func (t *edgeTable) grow(edges int) {
	oldK, oldV := t.keys, t.vals
	n := 64
	for n < 4*(edges+1) {
		n *= 2
	}
	t.keys, t.vals = make([]uint64, n), make([]int32, n)
	for i, k := range oldK {
		if k != 0 {
			t.place(k, oldV[i])
		}
	}
}

// hashFold is hashBytes of an ASCII run of letters and digits folded to lower case, read
// straight from the headline: letters and digits all have bit 0x20 set once lower case.
func hashFold(s string) uint32 {
	h := uint64(len(s)) * 0x9e3779b97f4a7c15
	for len(s) >= 8 {
		v := load64(s)
		h = (h ^ (v | 0x2020202020202020)) * 0xff51afd7ed558ccd
		h ^= h >> 29
		s = s[8:]
	}
	var tail uint64
	for i := 0; i < len(s); i++ {
		tail |= uint64(s[i]|0x20) << (8 * uint(i))
	}
	h = (h ^ tail) * 0xc4ceb9fe1a85ec53
	h ^= h >> 32
	return uint32(h)
}

// hashSet is a set of word hashes: the prefilter's words.
type hashSet struct {
	slots []uint32 // hash, with 0 written as 1; 0 marks an empty slot
	n     int
}

func (s *hashSet) has(h uint32) bool {
	if len(s.slots) == 0 {
		return false
	}
	if h == 0 {
		h = 1
	}
	mask := uint32(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return true
		case 0:
			return false
		}
	}
}

func (s *hashSet) add(h uint32) {
	if h == 0 {
		h = 1
	}
	if s.has(h) {
		return
	}
	if 2*(s.n+1) > len(s.slots) {
		old := s.slots
		n := 64
		for n < 4*(s.n+1) {
			n *= 2
		}
		s.slots = make([]uint32, n)
		for _, x := range old {
			if x != 0 {
				s.place(x)
			}
		}
	}
	s.place(h)
	s.n++
}

func (s *hashSet) place(h uint32) {
	mask := uint32(len(s.slots) - 1)
	i := h & mask
	for s.slots[i] != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = h
}

// shapeSet is a bitmap over (first byte, last byte, length) of ASCII words, case folded: a
// word whose shape is not in it is certainly not in the prefilter's set.
type shapeSet struct {
	bits [1 << 15 / 64]uint64
}

func shapeIndex(first, last byte, n int) uint {
	return uint(first&0x1f)<<10 | uint(last&0x1f)<<5 | uint(min(n, 31))
}

func (s *shapeSet) add(first, last byte, n int) {
	i := shapeIndex(first, last, n)
	s.bits[i/64] |= 1 << (i % 64)
}

func (s *shapeSet) has(first, last byte, n int) bool {
	i := shapeIndex(first, last, n)
	return s.bits[i/64]&(1<<(i%64)) != 0
}
