package feeds

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// MaxFileBytes caps a feed file read by Load.
const MaxFileBytes int64 = 64 << 20

var (
	defaultFetcherOnce sync.Once
	defaultFetcher     *Fetcher
)

// Load reads the headlines of one source for `catalyst headlines SOURCE...`: an http(s) URL is
// fetched with f (a default Fetcher when f is nil) and parsed; anything else is a file path
// (a "file://" prefix is allowed). Files ending in .jsonl or .ndjson are read with ReadJSONL;
// other files are parsed as feeds. now is the time stamped on the headlines (FirstSeen, and
// Published when the source gives no date).
func Load(ctx context.Context, f *Fetcher, source string, now time.Time) ([]Headline, error) {
	lower := strings.ToLower(source)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		return loadURL(ctx, f, source, now)
	}
	return loadFile(ctx, strings.TrimPrefix(source, "file://"), now)
}

func loadURL(ctx context.Context, f *Fetcher, source string, now time.Time) ([]Headline, error) {
	if f == nil {
		defaultFetcherOnce.Do(func() { defaultFetcher = NewFetcher(FetcherOptions{}) })
		f = defaultFetcher
	}
	resp, err := f.Fetch(ctx, Request{URL: source})
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	feedURL := source
	if resp.FinalURL != "" {
		feedURL = resp.FinalURL
	}
	hs, err := Parse(resp.Body, ParseOptions{FeedURL: feedURL, ContentType: resp.ContentType, Now: now})
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	return hs, nil
}

func loadFile(ctx context.Context, path string, now time.Time) ([]Headline, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	defer file.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		hs, err := ReadJSONL(file)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
		for i := range hs {
			hs[i].FirstSeen = now.UTC()
			if hs[i].DateMissing {
				hs[i].Published = now.UTC()
			}
		}
		return hs, nil
	}
	body, err := io.ReadAll(io.LimitReader(file, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if int64(len(body)) > MaxFileBytes {
		return nil, fmt.Errorf("load %s: file exceeds %d bytes", path, MaxFileBytes)
	}
	hs, err := Parse(body, ParseOptions{Now: now})
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return hs, nil
}
