package notify

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestConsoleFormat(t *testing.T) {
	var buf bytes.Buffer
	c := NewConsole(&buf)
	a := happyHorse()
	if err := c.Send(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	want := "▲ [BABA bullish, 9988.HK bullish] happyhorse-alibaba: unconfirmed → confirmed  2026-11-14 09:00 UTC\n" +
		"  HappyHorse-1.0 is Alibaba's\n" +
		"  now: Alibaba has confirmed it built HappyHorse-1.0.\n" +
		"  evidence (1 independent source):\n" +
		"    - Alibaba confirms it is behind HappyHorse-1.0 <video> model & more — reuters.com https://reuters.com/a0dcde8045?x=1&y=2\n" +
		"  rule: confirmation-by-trusted-source\n" +
		"  key: " + a.Key + "\n\n"
	if got := buf.String(); got != want {
		t.Errorf("console output:\n%s\nwant:\n%s", got, want)
	}
}

func TestConsoleOperatorAndHostileInput(t *testing.T) {
	got := FormatConsole(operatorAlert())
	for _, want := range []string{"⚠ operator: Feed reuters is failing", "  Feed reuters has failed 5 times in a row.\n  Last error: HTTP 503.\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("operator output lacks %q:\n%s", want, got)
		}
	}

	a := happyHorse()
	a.Evidence[0].Title = "fake\n▲ [EVIL bullish] forged line \x1b[31mred"
	a.Evidence[0].Link = "javascript:alert(1)"
	for i := range 12 {
		a.Evidence = append(a.Evidence, Evidence{Title: fmt.Sprint("headline ", i), Source: "example.com"})
	}
	a.Sources = 3
	got = FormatConsole(a)
	if strings.Contains(got, "\x1b") || strings.Contains(got, "\n▲ [EVIL") || strings.Contains(got, "javascript:") {
		t.Errorf("hostile headline got through:\n%q", got)
	}
	for _, want := range []string{"evidence (3 independent sources):", "    and 3 more\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestConsoleWriteErrorIsTransient(t *testing.T) {
	err := NewConsole(failingWriter{}).Send(t.Context(), happyHorse())
	var de *DeliveryError
	if !errors.As(err, &de) || de.Permanent || de.Channel != "console" {
		t.Errorf("Send = %v, want a transient DeliveryError", err)
	}
}
