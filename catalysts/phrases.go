package catalysts

import "fmt"

// Phrases is a list of phrases in the configuration. Nested lists are flattened, so a YAML
// anchor holding a shared vocabulary can be used as one item of another list.
type Phrases []string

// UnmarshalYAML flattens nested sequences of strings.
func (p *Phrases) UnmarshalYAML(unmarshal func(any) error) error {
	var raw []any
	if err := unmarshal(&raw); err != nil {
		return err
	}
	var out Phrases
	var walk func(v any) error
	walk = func(v any) error {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, y := range x {
				if err := walk(y); err != nil {
					return err
				}
			}
		case nil:
		default:
			return fmt.Errorf("want a phrase (a string), got %v", x)
		}
		return nil
	}
	if err := walk(raw); err != nil {
		return err
	}
	*p = out
	return nil
}
