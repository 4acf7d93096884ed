package search

// SearchItemsUncached is SearchItems without the remembered answers, for
// benchmarks of the index's own work.
func (ix *Index) SearchItemsUncached(q Query, serves string) ([]Group, int, error) {
	return groupItems(ix.search, q, serves)
}
