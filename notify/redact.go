package notify

import (
	"errors"
	"net/url"
	"sort"
	"strings"
)

// redaction replaces one secret with a harmless stand-in.
type redaction struct {
	secret, with string
}

// redactor scrubs secrets (webhook URLs and their tokens, passwords, signing keys) from text before
// it can reach an error or a log. The zero value and nil scrub nothing.
type redactor struct {
	rep *strings.Replacer
}

// newRedactor returns a redactor for the given secrets; empty secrets are ignored and longer
// secrets win over shorter ones they contain.
func newRedactor(rs ...redaction) *redactor {
	kept := make([]redaction, 0, len(rs))
	for _, r := range rs {
		if r.secret != "" && r.secret != r.with {
			kept = append(kept, r)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return len(kept[i].secret) > len(kept[j].secret) })
	if len(kept) == 0 {
		return &redactor{}
	}
	args := make([]string, 0, 2*len(kept))
	for _, r := range kept {
		args = append(args, r.secret, r.with)
	}
	return &redactor{rep: strings.NewReplacer(args...)}
}

// scrub returns s with every secret replaced.
func (r *redactor) scrub(s string) string {
	if r == nil || r.rep == nil {
		return s
	}
	return r.rep.Replace(s)
}

// scrubErr returns err unchanged when its text holds no secret, and otherwise a new error with the
// scrubbed text and no wrapped cause (a wrapped cause could still reveal the secret).
func (r *redactor) scrubErr(err error) error {
	if err == nil {
		return nil
	}
	s := err.Error()
	if t := r.scrub(s); t != s {
		return errors.New(t)
	}
	return err
}

// redactURL returns a displayable form of a secret-bearing URL, such as
// "https://hooks.slack.com/services/***", and the redactions that hide the secret parts of it.
//
// Scheme and host are shown. The first path segment is shown only when it looks like a word
// ("services", "hooks") rather than a token, and only when more segments follow it; the rest of
// the path, the query and any user information are masked.
func redactURL(raw string) (string, []redaction) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "<invalid url>", []redaction{{raw, "<url>"}}
	}
	display := u.Scheme + "://" + u.Host
	var rs []redaction
	if p := u.EscapedPath(); p != "" && p != "/" {
		segs := strings.Split(strings.Trim(p, "/"), "/")
		masked := p
		if len(segs) > 1 && isWord(segs[0]) {
			display += "/" + segs[0]
			masked = p[len("/"+segs[0]):]
			segs = segs[1:]
		}
		display += "/***"
		rs = append(rs, redaction{masked, "/***"}, redaction{strings.TrimPrefix(masked, "/"), "***"})
		if up := u.Path; up != p {
			rs = append(rs, redaction{up, "/***"})
		}
		for _, s := range segs {
			if len(s) >= 6 {
				rs = append(rs, redaction{s, "***"})
			}
		}
	}
	if u.RawQuery != "" {
		display += "?***"
		rs = append(rs, redaction{u.RawQuery, "***"})
		for _, vs := range u.Query() {
			for _, v := range vs {
				if len(v) >= 4 {
					rs = append(rs, redaction{v, "***"})
				}
			}
		}
	}
	if u.User != nil {
		rs = append(rs, redaction{u.User.String(), "***"})
		if pw, ok := u.User.Password(); ok {
			rs = append(rs, redaction{pw, "***"})
		}
	}
	rs = append(rs, redaction{raw, display}, redaction{u.String(), display})
	return display, rs
}

// isWord reports whether a path segment looks like a fixed word rather than a generated token:
// short, and made of letters, '-' and '_' only.
func isWord(s string) bool {
	if s == "" || len(s) > 24 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
