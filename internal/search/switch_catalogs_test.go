package search

import "testing"

// switchCatalogs are the catalogs the tests that switch a path off compare
// answers on: the real one, one scaled and laid out by group, and one whose
// groups mix audiences.
func switchCatalogs(t *testing.T) map[string][]Doc {
	t.Helper()
	names := guanganNames(t)
	fixture(t) // reads fixtureDocs
	return map[string][]Doc{"real": fixtureDocs, "scaled": ScaledCatalog(20_000, names), "mixed": mixedAudiences(names)}
}

// mixedAudiences is the scaled catalog of 20,000 docs with every fifth
// doc's audience changed, so that name groups mix audiences.
func mixedAudiences(names []string) []Doc {
	mixed := ScaledCatalog(20_000, names)
	for i := range mixed {
		if i%5 == 0 {
			mixed[i].Audience = []string{"", AudiencePerson, AudienceEntity}[i%3]
		}
	}
	return mixed
}

// churn renames every seventh doc of ds (up to 300; each given material too,
// if not empty) and deletes the doc after each, so that ix holds dead docs
// in its layout and an unordered tail; it fails the test when it does not.
func churn(t *testing.T, name string, ix *Index, ds []Doc, material string) {
	t.Helper()
	var renamed []Doc
	var gone []int64
	for i := 0; i < len(ds) && len(renamed) < 300; i += 7 {
		d := ds[i]
		d.ListingName += "（变更）"
		if material != "" {
			d.Materials = append(d.Materials, material)
		}
		renamed = append(renamed, d)
		gone = append(gone, ds[i+1].ListingID)
	}
	ix.Upsert(renamed...)
	ix.Delete(gone...)
	if ix.ordered == len(ix.docs) || ix.live == len(ix.docs)-len(renamed) {
		t.Fatalf("%s: churn left no unordered tail or no dead docs", name)
	}
}
