package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

const (
	// defaultHTTPTimeout bounds one HTTP delivery, from connecting to reading the response.
	defaultHTTPTimeout = 10 * time.Second
	// maxDrain is how much of a response body is read (and discarded) so the connection can be reused.
	maxDrain = 64 << 10
	// maxSnippet is how much of an error response body is quoted in the error.
	maxSnippet = 300
)

// newHTTPClient returns the client an HTTP channel keeps for its lifetime: a bounded total
// timeout, its own connection pool, and no redirects (a redirected webhook is a configuration
// problem, and following it could carry the payload somewhere unexpected).
func newHTTPClient(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = defaultHTTPTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = timeout
	tr.MaxIdleConnsPerHost = 2
	return &http.Client{
		Timeout:   timeout,
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// httpTarget posts to one secret URL and classifies the outcome.
type httpTarget struct {
	channel string // channel name, for DeliveryError
	url     string // the secret URL
	display string // what errors say instead, e.g. "slack webhook https://hooks.slack.com/services/***"
	client  *http.Client
	red     *redactor
	now     func() time.Time
}

// post sends body with header and returns nil on 2xx, or a classified, scrubbed *DeliveryError.
func (t *httpTarget) post(ctx context.Context, body []byte, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return deliveryError(t.channel, t.red, true, 0, fmt.Errorf("build request for %s: %w", t.display, err))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := t.client.Do(req)
	if err != nil {
		// *url.Error repeats the URL; keep only the cause (and scrub it anyway).
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return deliveryError(t.channel, t.red, false, 0, fmt.Errorf("post to %s: %w", t.display, err))
	}
	defer drain(resp.Body)
	v := classifyHTTP(resp.StatusCode, resp.Header, t.now())
	if v.OK {
		return nil
	}
	snippet := readSnippet(resp.Body)
	return deliveryError(t.channel, t.red, v.Permanent, v.RetryAfter,
		fmt.Errorf("post to %s: HTTP %d %q", t.display, resp.StatusCode, snippet))
}

// readSnippet reads the start of an error response body as one cleaned line.
func readSnippet(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 4*maxSnippet))
	return truncateRunes(cleanLine(string(b)), maxSnippet)
}

// drain reads what is left of a response body (up to a bound) and closes it, so the connection
// returns to the pool.
func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	_ = body.Close()
}
