package search

// SearchItemsUncached is SearchItems without the remembered answers, for
// benchmarks of the index's own work.
func (ix *Index) SearchItemsUncached(q Query, serves string) ([]Group, int, error) {
	return groupItems(ix.search, q, serves)
}

// LastPollRead is how many change rows the last poll of listings read.
func (s *Syncer) LastPollRead() int { return s.lastRead }
