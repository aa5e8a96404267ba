package store

import "github.com/catalyst-monitor/catalyst/notify"

// OutboxItem is one pending outbox row as the notify dispatcher receives it from Due.
type OutboxItem = notify.OutboxItem
