package feeds

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxJSONLLine is the longest line ReadJSONL accepts.
const MaxJSONLLine = 1 << 20

// jsonlRecord is the JSON Lines contract: one headline per line.
type jsonlRecord struct {
	ID        string `json:"id"`
	Source    string `json:"source"`
	Title     string `json:"title"`
	Summary   string `json:"summary"`
	Link      string `json:"link"`
	Published string `json:"published"`
}

// ReadJSONL reads headlines in the JSON Lines contract format, one object per line:
// {"id","source","title","summary","link","published"}. Unknown fields are ignored, blank lines
// skipped, and published is RFC 3339 (stored in UTC); an empty or absent published leaves
// Published zero with DateMissing set. Errors name the 1-based line number. Lines may be up to
// MaxJSONLLine bytes.
func ReadJSONL(r io.Reader) ([]Headline, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxJSONLLine)
	var out []Headline
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			b = bytes.TrimPrefix(b, utf8BOM)
		}
		if len(b) == 0 {
			continue
		}
		var rec jsonlRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("jsonl line %d: %w", line, err)
		}
		h := Headline{
			ID:      rec.ID,
			Source:  rec.Source,
			Title:   rec.Title,
			Summary: rec.Summary,
			Link:    rec.Link,
		}
		if p := strings.TrimSpace(rec.Published); p != "" {
			t, err := time.Parse(time.RFC3339Nano, p)
			if err != nil {
				return nil, fmt.Errorf("jsonl line %d: published %q is not RFC 3339: %w", line, p, err)
			}
			h.Published = t.UTC()
		} else {
			h.DateMissing = true
		}
		out = append(out, h)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("jsonl line %d: longer than %d bytes: %w", line+1, MaxJSONLLine, err)
		}
		return nil, fmt.Errorf("jsonl line %d: %w", line+1, err)
	}
	return out, nil
}

// WriteJSONL writes headlines in the JSON Lines contract format read by ReadJSONL, one object per
// line with exactly the keys id, source, title, summary, link and published (RFC 3339 in UTC,
// or "" when Published is zero). HTML characters are not escaped.
func WriteJSONL(w io.Writer, hs []Headline) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i, h := range hs {
		rec := jsonlRecord{
			ID:      h.ID,
			Source:  h.Source,
			Title:   h.Title,
			Summary: h.Summary,
			Link:    h.Link,
		}
		if !h.Published.IsZero() {
			rec.Published = h.Published.UTC().Format(time.RFC3339)
		}
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("write jsonl record %d: %w", i+1, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	return nil
}
