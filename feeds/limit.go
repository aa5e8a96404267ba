package feeds

import (
	"context"
	"sync"
)

// semaphore is a counting semaphore whose acquire honours a context.
type semaphore chan struct{}

// acquire takes a slot, or returns the context's error if it ends first.
func (s semaphore) acquire(ctx context.Context) error {
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release gives a slot back.
func (s semaphore) release() { <-s }

// hostLimiter bounds concurrent requests per host. A host's semaphore exists only while someone
// holds or waits for it, so the map does not grow with every host ever fetched.
type hostLimiter struct {
	limit int
	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem  semaphore
	refs int
}

func newHostLimiter(limit int) *hostLimiter {
	return &hostLimiter{limit: limit, hosts: make(map[string]*hostSlot)}
}

// acquire takes one of host's slots; give it back with release(host, slot).
func (l *hostLimiter) acquire(ctx context.Context, host string) (*hostSlot, error) {
	l.mu.Lock()
	s := l.hosts[host]
	if s == nil {
		s = &hostSlot{sem: make(semaphore, l.limit)}
		l.hosts[host] = s
	}
	s.refs++
	l.mu.Unlock()

	if err := s.sem.acquire(ctx); err != nil {
		l.unref(host, s)
		return nil, err
	}
	return s, nil
}

// release gives back a slot taken by acquire.
func (l *hostLimiter) release(host string, s *hostSlot) {
	s.sem.release()
	l.unref(host, s)
}

func (l *hostLimiter) unref(host string, s *hostSlot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.refs--
	if s.refs == 0 && l.hosts[host] == s {
		delete(l.hosts, host)
	}
}
