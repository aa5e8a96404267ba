package notify

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Channel delivers alerts to one destination (a Slack webhook, a mailbox, a webhook receiver, the
// console). Implementations must be safe for concurrent use.
//
// Send returns nil once the destination has accepted the alert. Any other result is a
// *DeliveryError that says whether retrying can help (see IsPermanent and RetryAfterOf); its text
// never contains a secret such as a webhook URL or a password.
type Channel interface {
	// Name identifies the channel in logs and outbox rows.
	Name() string
	// Send delivers a to the destination, honouring ctx for cancellation.
	Send(ctx context.Context, a Alert) error
}

// DeliveryError is a failed delivery, classified once, where the failure entered the program.
type DeliveryError struct {
	// Channel is the name of the channel that failed.
	Channel string
	// Permanent is true when retrying the same alert cannot succeed (bad credentials, a removed
	// webhook, a rejected recipient); false for outages, rate limits and network errors.
	Permanent bool
	// RetryAfter is the earliest time, from now, at which the destination accepts a retry; zero
	// when it gave no hint.
	RetryAfter time.Duration
	// Err is the cause, already stripped of secrets.
	Err error
}

// Error describes the failure without revealing secrets.
func (e *DeliveryError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	if e.RetryAfter > 0 {
		kind += fmt.Sprintf(", retry after %s", e.RetryAfter)
	}
	return fmt.Sprintf("notify: %s: %s failure: %v", e.Channel, kind, e.Err)
}

// Unwrap returns the cause.
func (e *DeliveryError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a delivery failure that retrying cannot fix. Errors that were
// not classified by a channel count as transient.
func IsPermanent(err error) bool {
	var de *DeliveryError
	return errors.As(err, &de) && de.Permanent
}

// RetryAfterOf returns the delay the destination asked for before the next attempt, or zero.
func RetryAfterOf(err error) time.Duration {
	var de *DeliveryError
	if errors.As(err, &de) {
		return de.RetryAfter
	}
	return 0
}

// deliveryError builds a *DeliveryError for channel, scrubbing every secret known to red from the
// cause's text. When the text had to be scrubbed the cause chain is cut, so that no wrapped error
// can reveal the secret either.
func deliveryError(channel string, red *redactor, permanent bool, retryAfter time.Duration, err error) *DeliveryError {
	return &DeliveryError{
		Channel:    channel,
		Permanent:  permanent,
		RetryAfter: retryAfter,
		Err:        red.scrubErr(err),
	}
}
