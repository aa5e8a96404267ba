package feeds

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// RegistrableDomain returns the registrable domain (eTLD+1, e.g. "bbc.co.uk" for
// "https://news.bbc.co.uk/x") of an absolute URL's host, lower-cased and without "www.". For an
// IP address, "localhost" or a bare public suffix it returns the host itself; for a URL without a
// host it returns "".
func RegistrableDomain(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return ""
	}
	return hostDomain(u.Hostname())
}

// hostDomain is RegistrableDomain for a bare host name.
func hostDomain(host string) string {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host == "" {
		return ""
	}
	if net.ParseIP(host) != nil {
		return host
	}
	host = strings.TrimPrefix(host, "www.")
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// hostOf returns the lower-cased host name of an absolute URL, or "".
func hostOf(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// resolveLink makes an item link absolute against base (when base is not nil) and trims it.
// Links that do not parse are returned trimmed but otherwise untouched.
func resolveLink(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" || base == nil {
		return link
	}
	u, err := url.Parse(link)
	if err != nil || u.IsAbs() {
		return link
	}
	return base.ResolveReference(u).String()
}

// redactURL returns rawURL without user information and with the values of query parameters
// that commonly carry secrets replaced, so it can appear in errors and logs.
func redactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		// Cut anything that could be "user:password@" out of an unparseable URL.
		if i := strings.Index(rawURL, "://"); i >= 0 {
			rest := rawURL[i+3:]
			if at := strings.IndexByte(rest, '@'); at >= 0 && !strings.ContainsAny(rest[:at], "/?#") {
				return rawURL[:i+3] + rest[at+1:]
			}
		}
		return rawURL
	}
	u.User = nil
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		changed := false
		for i, p := range parts {
			k, _, hasValue := strings.Cut(p, "=")
			if hasValue && secretParams[strings.ToLower(k)] {
				parts[i] = k + "=REDACTED"
				changed = true
			}
		}
		if changed {
			u.RawQuery = strings.Join(parts, "&")
		}
	}
	return u.String()
}

// secretParams are query parameter names whose values redactURL hides.
var secretParams = map[string]bool{
	"key": true, "apikey": true, "api_key": true, "token": true, "access_token": true,
	"auth": true, "password": true, "passwd": true, "secret": true, "sig": true,
	"signature": true, "client_secret": true,
}
