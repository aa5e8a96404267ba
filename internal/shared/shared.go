// Package shared locates the ../shared folder (eval sets and corpora) that sits beside the repository.
// Tests that need it call Dir, which skips the test when the folder is absent, or fails it when
// CATALYST_REQUIRE_SHARED=1 (as in CI).
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of ../shared/<parts...> relative to the module root, skipping or
// failing t when it does not exist.
func Dir(t testing.TB, parts ...string) string {
	t.Helper()
	p, err := find(parts...)
	if err == nil {
		return p
	}
	if os.Getenv("CATALYST_REQUIRE_SHARED") == "1" {
		t.Fatalf("shared test data required (CATALYST_REQUIRE_SHARED=1) but missing: %v", err)
	}
	t.Skipf("skipping: shared test data not found (%v); place the shared folder beside the repository", err)
	return ""
}

func find(parts ...string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(append([]string{filepath.Dir(dir), "shared"}, parts...)...)
			if _, err := os.Stat(p); err != nil {
				return "", err
			}
			return p, nil
		}
		if filepath.Dir(dir) == dir {
			return "", os.ErrNotExist
		}
	}
}
