package feeds

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestJSONLRoundTrip(t *testing.T) {
	in := []Headline{
		{ID: "g:1", Source: "reuters.com", Title: `Disney <"CEO"> & co`, Summary: "s", Link: "https://r.com/a?x=1&y=2",
			Published: time.Date(2025, 3, 4, 9, 0, 0, 0, time.FixedZone("EST", -5*3600)), GUID: "dropped", Feed: "dropped"},
		{ID: "t:2", Source: "ft.com", Title: "Ünïcödé ✓"},
	}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, in); err != nil {
		t.Fatal(err)
	}
	wantText := `{"id":"g:1","source":"reuters.com","title":"Disney <\"CEO\"> & co","summary":"s","link":"https://r.com/a?x=1&y=2","published":"2025-03-04T14:00:00Z"}` + "\n" +
		`{"id":"t:2","source":"ft.com","title":"Ünïcödé ✓","summary":"","link":"","published":""}` + "\n"
	if buf.String() != wantText {
		t.Errorf("WriteJSONL wrote\n%s\nwant\n%s", buf.String(), wantText)
	}
	out, err := ReadJSONL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Title != in[0].Title || !out[0].Published.Equal(in[0].Published) ||
		out[0].Published.Location() != time.UTC || out[0].GUID != "" || !out[1].DateMissing || !out[1].Published.IsZero() {
		t.Errorf("ReadJSONL = %+v", out)
	}
}

func TestReadJSONL(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		errLike  string
	}{
		{"blank lines and unknown fields", "\n{\"id\":\"a\",\"title\":\"x\",\"extra\":[1,2]}\n  \n\r\n{\"id\":\"b\",\"published\":\"2025-01-02T03:04:05.123+01:00\"}\n", 2, ""},
		{"bom", "\ufeff{\"id\":\"a\"}\n", 1, ""},
		{"no trailing newline", `{"id":"a"}`, 1, ""},
		{"bad json names the line", "{\"id\":\"a\"}\n\n{\"id\":\n", 0, "jsonl line 3:"},
		{"bad date names the line", "{\"id\":\"a\"}\n{\"published\":\"March 5\"}\n", 0, "jsonl line 2: published \"March 5\""},
		{"not an object", "[1]\n", 0, "jsonl line 1:"},
		{"too long", "{\"id\":\"a\"}\n{\"title\":\"" + strings.Repeat("x", MaxJSONLLine) + "\"}\n", 0, "jsonl line 2: longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, err := ReadJSONL(strings.NewReader(tt.in))
			if tt.errLike != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errLike) {
					t.Fatalf("err = %v, want one containing %q", err, tt.errLike)
				}
				return
			}
			if err != nil || len(hs) != tt.n {
				t.Fatalf("got %d, %v; want %d", len(hs), err, tt.n)
			}
		})
	}
	hs, _ := ReadJSONL(strings.NewReader("{\"id\":\"b\",\"published\":\"2025-01-02T03:04:05.123+01:00\"}\n"))
	if want := time.Date(2025, 1, 2, 2, 4, 5, 123e6, time.UTC); !hs[0].Published.Equal(want) || hs[0].Published.Location() != time.UTC {
		t.Errorf("published = %v", hs[0].Published)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteJSONLError(t *testing.T) {
	err := WriteJSONL(failingWriter{}, []Headline{{ID: "a"}})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v", err)
	}
}
