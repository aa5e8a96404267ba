package feeds

import (
	"regexp"
	"strings"
	"time"

	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
)

// Keys of Headline.Fields set for SEC EDGAR filings.
const (
	// FieldForm is the filing's form type ("8-K", "S-1/A").
	FieldForm = "form"
	// FieldAccession is the filing's accession number ("0001104659-21-057704").
	FieldAccession = "accession"
	// FieldFiled is the filing date, YYYY-MM-DD.
	FieldFiled = "filed"
)

var (
	accessionRe   = regexp.MustCompile(`\b\d{10}-\d{2}-\d{6}\b`)
	filedRe       = regexp.MustCompile(`(?i)\bFiled:\s*(\d{4}-\d{2}-\d{2})\b`)
	accNoRe       = regexp.MustCompile(`(?i)\bAccNo:\s*(\d{10}-\d{2}-\d{6})\b`)
	edgarFormTerm = "form type"
)

// edgarCategory is the part of an Atom <category> that edgarAtomFields reads.
type edgarCategory struct{ term, scheme, label string }

// edgarFields extracts the form type, accession number and filing date of an SEC EDGAR Atom
// entry. EDGAR company feeds carry them in <content type="text/xml"> (<filing-type>,
// <accession-number>, <filing-date>) and in <category label="form type" term="...">; the
// "latest filings" feeds only in the category, the id and the summary ("Filed: ... AccNo: ...").
// It returns nil for entries that are not EDGAR filings.
func edgarFields(e *atom.Entry, summary string) map[string]string {
	if e == nil {
		return nil
	}
	content := ""
	if e.Content != nil {
		content = e.Content.Value
	}
	var cats []edgarCategory
	for _, c := range e.Categories {
		if c != nil {
			cats = append(cats, edgarCategory{term: c.Term, scheme: c.Scheme, label: c.Label})
		}
	}
	return edgarAtomFields(content, e.ID, cats, summary)
}

// edgarAtomFields is edgarFields on an entry's content text, id and categories.
func edgarAtomFields(content, id string, cats []edgarCategory, summary string) map[string]string {
	form := ""
	isEdgar := strings.Contains(content, "<accession-number>") || strings.Contains(id, "accession-number=")
	for _, c := range cats {
		if strings.EqualFold(strings.TrimSpace(c.label), edgarFormTerm) || strings.Contains(c.scheme, "sec.gov") {
			isEdgar = true
			if form == "" {
				form = strings.TrimSpace(c.term)
			}
		}
	}
	if !isEdgar {
		return nil
	}
	if form == "" {
		form = xmlChildText(content, "filing-type")
	}
	accession := xmlChildText(content, "accession-number")
	if accession == "" {
		if m := accNoRe.FindStringSubmatch(summary); m != nil {
			accession = m[1]
		} else if i := strings.Index(id, "accession-number="); i >= 0 {
			accession = accessionRe.FindString(id[i:])
		}
	}
	filed := xmlChildText(content, "filing-date")
	if filed == "" {
		if m := filedRe.FindStringSubmatch(summary); m != nil {
			filed = m[1]
		}
	}
	fields := make(map[string]string, 3)
	for k, v := range map[string]string{FieldForm: form, FieldAccession: accession, FieldFiled: filed} {
		if v = cleanText(v, 100); v != "" {
			fields[k] = v
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

// xmlChildText returns the text of the first <name>...</name> element in an XML fragment, or "".
func xmlChildText(fragment, name string) string {
	open := "<" + name + ">"
	i := strings.Index(fragment, open)
	if i < 0 {
		return ""
	}
	rest := fragment[i+len(open):]
	j := strings.Index(rest, "</"+name+">")
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(rest[:j])
}

// edgarRSSFields extracts the same facts from an EDGAR RSS item (the XBRL filings feeds), which
// carries them in an <edgar:xbrlFiling> element. It returns nil for other items.
func edgarRSSFields(exts ext.Extensions) map[string]string {
	for _, byName := range exts {
		for _, filing := range byName["xbrlFiling"] {
			child := func(name string) string {
				if c := filing.Children[name]; len(c) > 0 {
					return c[0].Value
				}
				return ""
			}
			if fields := edgarFilingFields(child("formType"), child("accessionNumber"), child("filingDate")); fields != nil {
				return fields
			}
		}
	}
	return nil
}

// edgarFilingFields turns the texts of an <edgar:xbrlFiling>'s formType, accessionNumber and
// filingDate into Headline.Fields, or nil when all are empty.
func edgarFilingFields(formType, accession, filingDate string) map[string]string {
	fields := make(map[string]string, 3)
	if v := cleanText(formType, 100); v != "" {
		fields[FieldForm] = v
	}
	if v := cleanText(accession, 100); v != "" {
		fields[FieldAccession] = v
	}
	if v := cleanText(filingDate, 100); v != "" {
		if t, err := time.Parse("01/02/2006", v); err == nil {
			v = t.Format(time.DateOnly)
		}
		fields[FieldFiled] = v
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}
