package workflow

import "sync"

// inflightKeys holds one lock per idempotency key being submitted on this
// server. A client that retries before its first attempt has answered (a
// timeout, a double tap) then waits for that attempt and gets its case,
// instead of racing it to the unique index and using up a case number.
// Attempts on different servers still race; the index decides.
type inflightKeys struct {
	mu    sync.Mutex
	locks map[inflightKey]*inflightLock
}

type inflightKey struct {
	applicant int64
	key       string
}

type inflightLock struct {
	mu      sync.Mutex
	waiters int // holders and those waiting; the entry goes when it reaches 0
}

// lock blocks until no other submission with this key is in flight here,
// and returns the unlock.
func (f *inflightKeys) lock(applicant int64, key string) (unlock func()) {
	k := inflightKey{applicant, key}
	f.mu.Lock()
	if f.locks == nil {
		f.locks = map[inflightKey]*inflightLock{}
	}
	l := f.locks[k]
	if l == nil {
		l = &inflightLock{}
		f.locks[k] = l
	}
	l.waiters++
	f.mu.Unlock()

	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		f.mu.Lock()
		if l.waiters--; l.waiters == 0 {
			delete(f.locks, k)
		}
		f.mu.Unlock()
	}
}
