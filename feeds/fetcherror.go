package feeds

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Classes of fetch failure, in FetchError.Class.
const (
	ClassTimeout     = "timeout"      // connect, TLS, header or overall request timeout
	ClassDNS         = "dns"          // the host name did not resolve
	ClassTLS         = "tls"          // certificate or handshake failure
	ClassConnection  = "connection"   // refused, reset, or any other transport failure
	ClassHTTP4xx     = "http_4xx"     // a client error status other than 410 and 429
	ClassHTTP5xx     = "http_5xx"     // a server error status
	ClassRateLimited = "rate_limited" // 429 Too Many Requests
	ClassGone        = "gone"         // 410 Gone: stop polling
	ClassTooLarge    = "too_large"    // the body, after decompression, exceeds the cap
	ClassRedirects   = "redirects"    // too many redirects, or a redirect without a usable target
	ClassInvalid     = "invalid"      // the request itself is unusable (bad URL or scheme)
	ClassCanceled    = "canceled"     // the caller's context was canceled
)

// MaxRetryAfter caps the Retry-After a server may impose.
const MaxRetryAfter = 24 * time.Hour

// FetchError describes a failed fetch. URL never contains user information or secrets.
type FetchError struct {
	// URL is the requested URL, redacted.
	URL string
	// Status is the HTTP status, or 0 when no response arrived.
	Status int
	// Class is one of the Class* constants.
	Class string
	// RetryAfter is the server's Retry-After (429, 503), capped at MaxRetryAfter; 0 if none.
	RetryAfter time.Duration
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *FetchError) Error() string {
	var b strings.Builder
	b.WriteString("fetch ")
	b.WriteString(e.URL)
	b.WriteString(": ")
	b.WriteString(e.Class)
	if e.Status != 0 {
		b.WriteString(" (status ")
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *FetchError) Unwrap() error { return e.Err }

// Temporary reports whether retrying later may succeed: timeouts, DNS and connection failures,
// 5xx and 429. TLS failures, 4xx, 410, oversized bodies, redirect loops, invalid requests and
// cancellations are not temporary.
func (e *FetchError) Temporary() bool {
	switch e.Class {
	case ClassTimeout, ClassDNS, ClassConnection, ClassHTTP5xx, ClassRateLimited:
		return true
	}
	return false
}

// errTooManyRedirects is returned by the redirect policy.
type errTooManyRedirects struct{ max int }

func (e *errTooManyRedirects) Error() string {
	return fmt.Sprintf("stopped after %d redirects", e.max)
}

// classifyTransport names the class of an error from http.Client.Do or from reading a body.
// parent is the caller's context, to tell a cancellation from our own request timeout.
func classifyTransport(parent context.Context, err error) string {
	var redir *errTooManyRedirects
	if errors.As(err, &redir) {
		return ClassRedirects
	}
	if parent.Err() != nil && !errors.Is(parent.Err(), context.DeadlineExceeded) {
		return ClassCanceled
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && !dnsErr.IsTimeout {
		return ClassDNS
	}
	if isTLSError(err) {
		return ClassTLS
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ClassTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ClassTimeout
	}
	if errors.As(err, &dnsErr) {
		return ClassDNS
	}
	return ClassConnection
}

// isTLSError reports whether err comes from certificate verification or the TLS handshake.
func isTLSError(err error) bool {
	var (
		verr   *tls.CertificateVerificationError
		unk    x509.UnknownAuthorityError
		host   x509.HostnameError
		inval  x509.CertificateInvalidError
		rec    tls.RecordHeaderError
		alert  tls.AlertError
		ech    *tls.ECHRejectionError
		sysErr x509.SystemRootsError
	)
	switch {
	case errors.As(err, &verr), errors.As(err, &unk), errors.As(err, &host), errors.As(err, &inval),
		errors.As(err, &rec), errors.As(err, &alert), errors.As(err, &ech), errors.As(err, &sysErr):
		return true
	}
	return strings.Contains(err.Error(), "tls: ")
}

// classifyStatus names the class of an HTTP status that is neither 2xx nor 304.
func classifyStatus(status int) string {
	switch {
	case status == 410:
		return ClassGone
	case status == 429:
		return ClassRateLimited
	case status >= 500:
		return ClassHTTP5xx
	case status >= 300 && status < 400:
		return ClassRedirects
	default:
		return ClassHTTP4xx
	}
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date, relative to now.
// The result is in [0, MaxRetryAfter]; unparseable values give 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), MaxRetryAfter)
}
