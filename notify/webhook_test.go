package notify

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

func TestWebhookSignsAndCarriesIdempotencyKey(t *testing.T) {
	const secret = "s3cret-signing-key"
	srv := newHookServer(t, nil)
	clock := newFakeClock(t0)
	w, err := NewWebhook(WebhookConfig{URL: srv.URL + "/hooks/catalyst", Secret: secret, Timeout: 5 * time.Second, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	a := happyHorse()
	for range 2 {
		if err := w.Send(t.Context(), a); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests", len(reqs))
	}
	for _, r := range reqs {
		if got := r.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type = %q", got)
		}
		if got := r.Header.Get("Idempotency-Key"); got != a.Key {
			t.Errorf("Idempotency-Key = %q, want %q", got, a.Key)
		}
		if got := r.Header.Get("X-Catalyst-Timestamp"); got != strconv.FormatInt(t0.Unix(), 10) {
			t.Errorf("X-Catalyst-Timestamp = %q", got)
		}
		// Verify the signature independently, over the raw body as received.
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(r.Body)
		want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
		if got := r.Header.Get("X-Catalyst-Signature"); !hmac.Equal([]byte(got), []byte(want)) {
			t.Errorf("X-Catalyst-Signature = %q, want %q", got, want)
		}

		var body struct {
			Version int             `json:"version"`
			Alert   json.RawMessage `json:"alert"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("body: %v", err)
		}
		if body.Version != 1 {
			t.Errorf("version = %d", body.Version)
		}
		var got Alert
		if err := json.Unmarshal(body.Alert, &got); err != nil {
			t.Fatal(err)
		}
		if got.Key != a.Key || got.To != "confirmed" || len(got.Evidence) != 1 || got.Evidence[0].Link != a.Evidence[0].Link ||
			!got.At.Equal(a.At) || len(got.Tickers) != 2 {
			t.Errorf("alert round trip: got %+v", got)
		}
		var fields map[string]any
		if err := json.Unmarshal(body.Alert, &fields); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"idempotency_key", "kind", "catalyst", "from", "to", "at", "tickers", "evidence", "independent_sources"} {
			if _, ok := fields[k]; !ok {
				t.Errorf("alert JSON lacks %q", k)
			}
		}
	}
	if !bytes.Equal(reqs[0].Body, reqs[1].Body) {
		t.Error("a re-sent alert has a different body")
	}
}

func TestWebhookWithoutSecretSendsNoSignature(t *testing.T) {
	srv := newHookServer(t, nil)
	w, err := NewWebhook(WebhookConfig{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Send(t.Context(), operatorAlert()); err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests()[0].Header.Get("X-Catalyst-Signature"); got != "" {
		t.Errorf("X-Catalyst-Signature = %q without a secret", got)
	}
}
