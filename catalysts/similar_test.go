package catalysts_test

import (
	"testing"

	"github.com/catalyst-monitor/catalyst/catalysts"
)

func TestSameStory(t *testing.T) {
	cases := map[string]struct {
		a, b string
		same bool
	}{
		"identical":           {"Disney sues ByteDance over Seedance 2.0", "Disney sues ByteDance over Seedance 2.0", true},
		"publisher_suffix":    {"Disney sues ByteDance over Seedance 2.0", "Disney sues ByteDance over Seedance 2.0 - Yahoo Finance", true},
		"bar_suffix":          {"Disney sues ByteDance over Seedance 2.0", "Disney sues ByteDance over Seedance 2.0 | Reuters", true},
		"em_dash_suffix":      {"Disney sues ByteDance over Seedance 2.0", "Disney sues ByteDance over Seedance 2.0 — The Verge", true},
		"case_and_quotes":     {"Alibaba confirms it built HappyHorse-1.0", "ALIBABA CONFIRMS IT BUILT ‘HAPPYHORSE-1.0’", true},
		"exclusive_prefix":    {"Alibaba confirms it built HappyHorse-1.0", "EXCLUSIVE: Alibaba confirms it built HappyHorse-1.0", true},
		"stop_words_differ":   {"Disney sues ByteDance over the Seedance model", "Disney sues ByteDance over a Seedance model", true},
		"one_word_edited":     {"Disney files copyright lawsuit against ByteDance in federal court", "Disney files copyright lawsuit against ByteDance in US federal court", true},
		"shorter_inside":      {"Disney files copyright lawsuit against ByteDance", "Disney files copyright lawsuit against ByteDance, alleging Seedance copied Marvel characters", true},
		"full_width_copy":     {"Alibaba confirms HappyHorse", "Ａｌｉｂａｂａ confirms HappyHorse", true},
		"different_stories":   {"Disney sues ByteDance over Seedance 2.0", "ByteDance hit with Disney lawsuit alleging Seedance copied Marvel characters", false},
		"same_topic_new_fact": {"Disney sues ByteDance over Seedance 2.0", "Judge dismisses Disney lawsuit against ByteDance", false},
		"opposite_claims":     {"Alibaba confirms it built HappyHorse-1.0", "Alibaba denies it built HappyHorse-1.0 video model", false},
		"short_inside_long":   {"Disney sues", "Disney sues ByteDance over Seedance 2.0 AI video model", false},
		"suffix_is_not_story": {"Disney sues ByteDance - Reuters", "Alibaba confirms HappyHorse - Reuters", false},
		"empty_and_text":      {"", "Disney sues ByteDance", false},
		"both_empty":          {"", "", true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := catalysts.SameStory(tc.a, tc.b); got != tc.same {
				t.Errorf("SameStory(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
			}
			if got := catalysts.SameStory(tc.b, tc.a); got != tc.same {
				t.Errorf("SameStory is not symmetric for %q, %q", tc.a, tc.b)
			}
		})
	}
}
