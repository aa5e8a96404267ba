package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Key returns the dedupe key of a headline. The title is part of every key, so a story whose
// title changes ("reportedly" becoming "confirms") gets a new key and is seen again.
//
//   - With a GUID: "g:" + hash(GUID, title). The feed is not part of the key, so the same item
//     syndicated by two feeds dedupes.
//   - Else with a link: "l:" + hash(CanonicalURL(link), title).
//   - Else: "t:" + hash(title, source).
//
// Titles are compared after Unicode NFKC normalisation, case folding, quote and dash
// unification and white-space folding. The hash is the first 16 bytes of SHA-256, in hex.
func Key(h Headline) string {
	title := normTitle(h.Title)
	if g := strings.TrimSpace(h.GUID); g != "" {
		return "g:" + digest(g, title)
	}
	if l := strings.TrimSpace(h.Link); l != "" {
		return "l:" + digest(CanonicalURL(l), title)
	}
	return "t:" + digest(title, strings.ToLower(strings.TrimSpace(h.Source)))
}

// digest hashes its parts, each preceded by its length so that parts cannot run together.
func digest(parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		l := uint64(len(p))
		for i := range n {
			n[i] = byte(l >> (8 * i))
		}
		h.Write(n[:])
		h.Write([]byte(p))
	}
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:16])
}

// titleReplacer unifies the typographic variants publishers swap between revisions.
var titleReplacer = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'", "\u2032", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`, "\u2033", `"`,
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2212", "-",
	"\u2026", "...",
)

// normTitle is the form of a title that keys compare.
func normTitle(s string) string {
	s = titleReplacer.Replace(norm.NFKC.String(s))
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}

// trackingParams are query parameters that identify a campaign or a click, not a resource.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"igshid": true, "igsh": true, "mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true,
	"_hsenc": true, "_hsmi": true, "hsctatracking": true, "mkt_tok": true, "oly_anon_id": true,
	"oly_enc_id": true, "rb_clickid": true, "vero_id": true, "vero_conv": true, "wt.mc_id": true,
	"ref": true, "ref_src": true, "ref_url": true, "referrer": true, "cmpid": true,
	"ncid": true, "ocid": true, "sr_share": true, "smid": true, "smtyp": true,
	"guccounter": true, "guce_referrer": true, "guce_referrer_sig": true,
	"at_medium": true, "at_campaign": true, "at_custom1": true, "at_custom2": true,
	"at_custom3": true, "at_custom4": true, "taid": true, "spm": true,
}

// trackingPrefixes are prefixes of tracking parameter families (utm_source, pk_campaign, ...).
var trackingPrefixes = []string{"utm_", "pk_", "mtm_", "hsa_", "stm_", "itm_"}

// CanonicalURL returns a normal form of a URL for comparison: scheme and host lower-cased,
// default port, fragment and user information dropped, an empty path made "/", tracking
// parameters (utm_*, fbclid, gclid, mc_cid, mc_eid, ref, ...) removed and the remaining
// query parameters sorted. Text that is not an absolute URL is returned trimmed, without its
// fragment.
func CanonicalURL(raw string) string {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		return s
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.RawPath == "" && u.Opaque == "" {
		u.Path = "/"
	}
	u.RawQuery = canonicalQuery(u.RawQuery)
	u.ForceQuery = false
	return u.String()
}

// canonicalQuery drops tracking parameters and empty pairs from a raw query and sorts the rest.
// Pairs keep their original encoding.
func canonicalQuery(q string) string {
	if q == "" {
		return ""
	}
	parts := strings.FieldsFunc(q, func(r rune) bool { return r == '&' || r == ';' })
	kept := parts[:0]
	for _, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if isTrackingParam(strings.ToLower(k)) {
			continue
		}
		kept = append(kept, p)
	}
	slices.Sort(kept)
	return strings.Join(kept, "&")
}

// isTrackingParam reports whether a lower-cased query parameter name is a tracking parameter.
func isTrackingParam(k string) bool {
	if trackingParams[k] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}
