package feeds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/catalyst-monitor/catalyst/internal/pace"
)

// Fetcher defaults, used for zero FetcherOptions fields.
const (
	DefaultMaxBytes              int64 = 10 << 20
	DefaultDialTimeout                 = 10 * time.Second
	DefaultTLSHandshakeTimeout         = 10 * time.Second
	DefaultResponseHeaderTimeout       = 20 * time.Second
	DefaultRequestTimeout              = 60 * time.Second
	DefaultMaxRedirects                = 5
	DefaultPerHostLimit                = 2
	DefaultGlobalLimit                 = 8
	DefaultUserAgent                   = "catalyst/1.0 (+https://github.com/catalyst-monitor/catalyst)"
)

// defaultAccept prefers feed formats but takes anything: servers misreport feed types.
const defaultAccept = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// drainLimit is how much of an unwanted body is read so the connection can be reused.
const drainLimit = 64 << 10

// FetcherOptions configure a Fetcher. Zero values take the Default* constants.
type FetcherOptions struct {
	// UserAgent is sent when a Request has none.
	UserAgent string
	// DialTimeout bounds establishing a TCP connection.
	DialTimeout time.Duration
	// TLSHandshakeTimeout bounds the TLS handshake.
	TLSHandshakeTimeout time.Duration
	// ResponseHeaderTimeout bounds the wait for response headers once the request is sent.
	ResponseHeaderTimeout time.Duration
	// RequestTimeout bounds a whole request, redirects and body included.
	RequestTimeout time.Duration
	// MaxBytes caps a body after decompression; a Request may lower or raise it.
	MaxBytes int64
	// MaxRedirects is how many redirects a request follows; negative means none.
	MaxRedirects int
	// PerHostLimit bounds concurrent requests to one host (host:port of the requested URL).
	PerHostLimit int
	// GlobalLimit bounds concurrent requests overall.
	GlobalLimit int
	// PerHostInterval, when positive, spaces request starts to one host at least this far apart.
	PerHostInterval time.Duration
	// TLSConfig, when set, configures TLS (e.g. extra root CAs).
	TLSConfig *tls.Config
	// Transport, when set, replaces the transport built from the timeouts and TLSConfig.
	Transport http.RoundTripper
	// Logger receives debug logs of each fetch; nil means none.
	Logger *zap.Logger
}

// Request is one fetch.
type Request struct {
	// URL is the http or https URL to fetch.
	URL string
	// Headers are extra request headers. Accept-Encoding is ignored: the transport negotiates
	// gzip itself so that the body cap applies to decompressed bytes.
	Headers map[string]string
	// UserAgent overrides FetcherOptions.UserAgent.
	UserAgent string
	// ETag and LastModified come from the previous response; when set they are sent as
	// If-None-Match and If-Modified-Since.
	ETag, LastModified string
	// PrevBodyHash is the previous response's BodyHash; an identical body sets Unchanged.
	PrevBodyHash string
	// MaxBytes overrides FetcherOptions.MaxBytes when positive.
	MaxBytes int64
}

// Response is a successful fetch: a 2xx with its body, or a 304.
type Response struct {
	// Status is the final HTTP status.
	Status int
	// NotModified is true for 304 Not Modified; Body is then empty.
	NotModified bool
	// Unchanged is true when the body's hash equals Request.PrevBodyHash: no need to parse.
	Unchanged bool
	// Body is the (decompressed) body.
	Body []byte
	// ContentType is the Content-Type header.
	ContentType string
	// ETag and LastModified are the validators to send next time (on a 304 without new ones,
	// the request's are carried over).
	ETag, LastModified string
	// BodyHash is the hex SHA-256 of Body (on a 304, Request.PrevBodyHash).
	BodyHash string
	// NewURL is set when the URL was permanently redirected (301/308 only, from the start of the
	// redirect chain): the caller should poll NewURL from now on.
	NewURL string
	// FinalURL is the URL that produced the response, after all redirects, redacted like errors.
	FinalURL string
	// MaxAge is the Cache-Control max-age, capped at 24h; 0 when absent or when no-cache or
	// no-store is present.
	MaxAge time.Duration
}

// Fetcher fetches feeds over HTTP with timeouts, size caps, redirect limits and concurrency
// limits. Build one with NewFetcher and share it: it is safe for concurrent use.
type Fetcher struct {
	opts   FetcherOptions
	client *http.Client
	global semaphore
	hosts  *hostLimiter
	spacer *pace.Spacer
	log    *zap.Logger
	now    func() time.Time
}

// NewFetcher returns a Fetcher configured by opts.
func NewFetcher(opts FetcherOptions) *Fetcher {
	opts = withDefaults(opts)
	f := &Fetcher{
		opts:   opts,
		global: make(semaphore, opts.GlobalLimit),
		hosts:  newHostLimiter(opts.PerHostLimit),
		log:    opts.Logger,
		now:    time.Now,
	}
	if f.log == nil {
		f.log = zap.NewNop()
	}
	if opts.PerHostInterval > 0 {
		f.spacer = pace.New(opts.PerHostInterval, func() time.Time { return f.now() }, nil)
	}
	tr := opts.Transport
	if tr == nil {
		tr = newTransport(opts)
	}
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f
}

func withDefaults(o FetcherOptions) FetcherOptions {
	setDur := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	setDur(&o.DialTimeout, DefaultDialTimeout)
	setDur(&o.TLSHandshakeTimeout, DefaultTLSHandshakeTimeout)
	setDur(&o.ResponseHeaderTimeout, DefaultResponseHeaderTimeout)
	setDur(&o.RequestTimeout, DefaultRequestTimeout)
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = DefaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	if o.PerHostLimit <= 0 {
		o.PerHostLimit = DefaultPerHostLimit
	}
	if o.GlobalLimit <= 0 {
		o.GlobalLimit = DefaultGlobalLimit
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	return o
}

func newTransport(o FetcherOptions) *http.Transport {
	d := &net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		TLSClientConfig:       o.TLSConfig,
		TLSHandshakeTimeout:   o.TLSHandshakeTimeout,
		ResponseHeaderTimeout: o.ResponseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          max(100, o.GlobalLimit),
		MaxIdleConnsPerHost:   o.PerHostLimit, // keep a connection per concurrent request to a host
		ForceAttemptHTTP2:     true,
	}
}

// redirectState follows one request's redirect chain; it travels in the request context.
type redirectState struct {
	permanent bool   // every redirect so far was 301 or 308
	newURL    string // target of the last redirect of that permanent run
}

type redirectStateKey struct{}

// checkRedirect enforces MaxRedirects and records permanent redirects.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.opts.MaxRedirects {
		return &errTooManyRedirects{max: f.opts.MaxRedirects}
	}
	if st, ok := req.Context().Value(redirectStateKey{}).(*redirectState); ok && st.permanent {
		if req.Response != nil && (req.Response.StatusCode == http.StatusMovedPermanently ||
			req.Response.StatusCode == http.StatusPermanentRedirect) {
			st.newURL = req.URL.String()
		} else {
			st.permanent = false
		}
	}
	return nil
}

// Fetch performs one GET. It waits for a per-host and a global slot (honouring ctx), then runs
// the request under FetcherOptions.RequestTimeout. A 2xx gives its body (capped after
// decompression); a 304 gives NotModified; anything else gives a *FetchError, as do transport
// failures.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	// The redacted URL (for errors and logs) is worked out only when needed: polling thousands
	// of feeds, most fetches need none.
	u, err := url.Parse(strings.TrimSpace(req.URL))
	if err != nil {
		return nil, &FetchError{URL: redactURL(req.URL), Class: ClassInvalid, Err: errors.New("unparseable URL")}
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, &FetchError{URL: redactURL(req.URL), Class: ClassInvalid, Err: fmt.Errorf("unsupported URL %q: want http or https with a host", u.Redacted())}
	}
	host := strings.ToLower(u.Host)

	slot, err := f.hosts.acquire(ctx, host)
	if err != nil {
		return nil, f.waitError(ctx, req.URL, err)
	}
	defer f.hosts.release(host, slot)
	if err := f.global.acquire(ctx); err != nil {
		return nil, f.waitError(ctx, req.URL, err)
	}
	defer f.global.release()
	if f.spacer != nil {
		if err := f.spacer.Wait(ctx, host); err != nil {
			return nil, f.waitError(ctx, req.URL, err)
		}
	}

	start := f.now()
	resp, err := f.do(ctx, u, req)
	if err != nil {
		if ce := f.log.Check(zap.DebugLevel, "fetch failed"); ce != nil {
			ce.Write(zap.String("url", redactURL(req.URL)), zap.Error(err), zap.Duration("took", f.now().Sub(start)))
		}
		return nil, err
	}
	if ce := f.log.Check(zap.DebugLevel, "fetched"); ce != nil {
		ce.Write(zap.String("url", redactURL(req.URL)), zap.Int("status", resp.Status),
			zap.Int("bytes", len(resp.Body)), zap.Bool("unchanged", resp.Unchanged || resp.NotModified),
			zap.Duration("took", f.now().Sub(start)))
	}
	return resp, nil
}

// waitError reports a context that ended while waiting for a slot.
func (f *Fetcher) waitError(ctx context.Context, rawURL string, err error) error {
	class := ClassCanceled
	if errors.Is(err, context.DeadlineExceeded) {
		class = ClassTimeout
	}
	return &FetchError{URL: redactURL(rawURL), Class: class, Err: fmt.Errorf("waiting for a connection slot: %w", err)}
}

// do runs the HTTP exchange once the slots are held.
func (f *Fetcher) do(parent context.Context, u *url.URL, req Request) (*Response, error) {
	safeURL := func() string { return redactURL(req.URL) }
	ctx, cancel := context.WithTimeout(parent, f.opts.RequestTimeout)
	defer cancel()
	st := &redirectState{permanent: true}
	ctx = context.WithValue(ctx, redirectStateKey{}, st)

	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &FetchError{URL: safeURL(), Class: ClassInvalid, Err: err}
	}
	f.setHeaders(hreq, req)

	resp, err := f.client.Do(hreq)
	if err != nil {
		return nil, &FetchError{URL: safeURL(), Class: classifyTransport(parent, err), Err: transportCause(err)}
	}
	defer closeBody(resp.Body)

	out := &Response{
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		NewURL:       st.newURL,
		FinalURL:     redactURL(resp.Request.URL.String()),
		MaxAge:       parseMaxAge(resp.Header.Values("Cache-Control")),
	}
	if out.NewURL == u.String() {
		out.NewURL = ""
	}

	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified, out.Unchanged = true, true
		if out.ETag == "" {
			out.ETag = req.ETag
		}
		if out.LastModified == "" {
			out.LastModified = req.LastModified
		}
		out.BodyHash = req.PrevBodyHash
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		fe := &FetchError{URL: safeURL(), Status: resp.StatusCode, Class: classifyStatus(resp.StatusCode), Err: errors.New(statusText(resp))}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			fe.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), f.now())
		}
		return nil, fe
	}

	limit := f.opts.MaxBytes
	if req.MaxBytes > 0 {
		limit = req.MaxBytes
	}
	if resp.ContentLength > limit {
		return nil, &FetchError{URL: safeURL(), Status: resp.StatusCode, Class: ClassTooLarge,
			Err: fmt.Errorf("body exceeds %d bytes (Content-Length %d)", limit, resp.ContentLength)}
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &FetchError{URL: safeURL(), Status: resp.StatusCode, Class: classifyTransport(parent, err),
			Err: fmt.Errorf("reading body: %w", transportCause(err))}
	}
	if n > limit {
		return nil, &FetchError{URL: safeURL(), Status: resp.StatusCode, Class: ClassTooLarge,
			Err: fmt.Errorf("body exceeds %d bytes", limit)}
	}
	out.Body = buf.Bytes()
	sum := sha256.Sum256(out.Body)
	var sumHex [2 * sha256.Size]byte
	hex.Encode(sumHex[:], sum[:])
	out.BodyHash = string(sumHex[:])
	out.Unchanged = req.PrevBodyHash != "" && out.BodyHash == req.PrevBodyHash
	return out, nil
}

// setHeaders puts the request's headers on hreq.
func (f *Fetcher) setHeaders(hreq *http.Request, req Request) {
	hreq.Header.Set("Accept", defaultAccept)
	for k, v := range req.Headers {
		if strings.EqualFold(k, "Accept-Encoding") {
			continue
		}
		hreq.Header.Set(k, v)
	}
	ua := req.UserAgent
	if ua == "" {
		ua = f.opts.UserAgent
	}
	hreq.Header.Set("User-Agent", ua)
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
}

// transportCause strips the *url.Error wrapper, whose message repeats the (unredacted) URL.
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// statusText is "404 Not Found", tolerating servers that send no reason phrase.
func statusText(resp *http.Response) string {
	if resp.Status != "" {
		return resp.Status
	}
	return strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
}

// closeBody reads a little of what is left, so a small body does not cost the connection, and
// closes it. Large leftovers (a gzip bomb, an endless stream) are abandoned with the connection.
func closeBody(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, drainLimit))
	_ = body.Close()
}

// parseMaxAge reads max-age from Cache-Control header values; no-store and no-cache win.
func parseMaxAge(values []string) time.Duration {
	var maxAge time.Duration
	for _, v := range values {
		for _, directive := range strings.Split(v, ",") {
			name, arg, _ := strings.Cut(strings.TrimSpace(directive), "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "no-store", "no-cache":
				return 0
			case "max-age":
				secs, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(arg), `"`), 10, 64)
				if err == nil && secs > 0 {
					maxAge = time.Duration(min(secs, int64(MaxRetryAfter/time.Second))) * time.Second
				}
			}
		}
	}
	return maxAge
}
