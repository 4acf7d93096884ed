package outbox

import "time"

// RetryFor is how long a webhook delivery is retried before it is given
// up (and shown as failed in the console, where it can be sent again).
const RetryFor = 24 * time.Hour

// Backoff: the first retry after 10 s, doubling, at most an hour apart.
const (
	firstRetry = 10 * time.Second
	maxRetry   = time.Hour
)

// RetryAfter is how long to wait after a delivery's attempts-th failed
// attempt (1, 2, …) before the next: 10 s, 20 s, 40 s … capped at an hour,
// so a day of retries is about 30 attempts.
func RetryAfter(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}
