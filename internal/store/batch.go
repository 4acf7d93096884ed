package store

// batchRows is how many of n rows the next multi-row statement takes: the
// largest power of two up to limit. Statement texts are kept prepared by
// text (SQLite's statement cache, pgx's per connection), so a batch of any
// size is written with at most log2(limit)+1 distinct texts rather than one
// per size, which would parse anew each time and crowd the caches.
func batchRows(n, limit int) int {
	k := 1
	for k*2 <= min(n, limit) {
		k *= 2
	}
	return k
}
