package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"go.uber.org/zap"
)

// errNoSource is returned when the server was built without a Source.
var errNoSource = errors.New("no source configured")

// loadCatalysts reads the catalysts from the Source with a bounded context, never returning nil
// slices (JSON shows [] rather than null).
func (s *Server) loadCatalysts(ctx context.Context) ([]CatalystView, error) {
	if s.src == nil {
		return nil, errNoSource
	}
	ctx, cancel := context.WithTimeout(ctx, sourceTimeout)
	defer cancel()
	cs, err := s.src.Catalysts(ctx)
	if err != nil {
		return nil, fmt.Errorf("load catalysts: %w", err)
	}
	out := make([]CatalystView, len(cs))
	for i, c := range cs {
		if c.Tickers == nil {
			c.Tickers = []TickerView{}
		}
		hist := make([]TransitionView, len(c.History))
		for j, t := range c.History {
			if t.Evidence == nil {
				t.Evidence = []EvidenceView{}
			}
			hist[j] = t
		}
		c.History = hist
		out[i] = c
	}
	return out, nil
}

// loadFeeds reads the feeds from the Source with a bounded context, never returning nil.
func (s *Server) loadFeeds(ctx context.Context) ([]FeedView, error) {
	if s.src == nil {
		return nil, errNoSource
	}
	ctx, cancel := context.WithTimeout(ctx, sourceTimeout)
	defer cancel()
	fs, err := s.src.Feeds(ctx)
	if err != nil {
		return nil, fmt.Errorf("load feeds: %w", err)
	}
	if fs == nil {
		fs = []FeedView{}
	}
	return fs, nil
}

func (s *Server) serveCatalysts(w http.ResponseWriter, r *http.Request) {
	cs, err := s.loadCatalysts(r.Context())
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	s.writeJSON(w, cs)
}

func (s *Server) serveFeeds(w http.ResponseWriter, r *http.Request) {
	fs, err := s.loadFeeds(r.Context())
	if err != nil {
		s.jsonError(w, r, err)
		return
	}
	s.writeJSON(w, fs)
}

// writeJSON writes v as indented JSON with status 200.
func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		s.log.Error("encode json", zap.Error(err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(append(body, '\n'))
}

// jsonError logs err and answers {"error": "..."} with 503 (the Source is unavailable). The
// message is generic: store errors may name files and are for the log.
func (s *Server) jsonError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("serve api", zap.String("path", r.URL.Path), zap.Error(err))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintln(w, `{"error": "status unavailable; see the server log"}`)
}
