package license

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

// issuingReads answers LicenseIssuing and counts the reads; the org has a
// key unless keyless.
type issuingReads struct {
	tongban.Store
	n       int
	keyless bool
}

func (s *issuingReads) LicenseIssuing(_ context.Context, typeCode string, orgID int64) (*tongban.LicenseIssuing, error) {
	s.n++
	in := &tongban.LicenseIssuing{Org: &tongban.Org{ID: orgID}, Type: &tongban.LicenseType{Code: typeCode}}
	if !s.keyless {
		in.Key = &tongban.SealKey{ID: "k1", OrgID: orgID}
	}
	return in, nil
}

// TestKeptIssuingServesWithinItsTTL: the type, org and key read for one
// issue serve the next ones of the same type and org for KeptIssuingTTL,
// are read again after it or once forgotten, are kept per type and org,
// and an org with no key yet is read every time.
func TestKeptIssuingServesWithinItsTTL(t *testing.T) {
	ctx := context.Background()
	st := &issuingReads{}
	k := &KeptIssuing{}
	t0 := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	read := func(typeCode string, orgID int64, at time.Time) {
		t.Helper()
		if _, err := k.read(ctx, st, typeCode, orgID, at); err != nil {
			t.Fatal(err)
		}
	}
	read("11100000000013127D001", 7, t0)
	read("11100000000013127D001", 7, t0.Add(KeptIssuingTTL-time.Second))
	if st.n != 1 {
		t.Fatalf("%d reads within the TTL, want 1", st.n)
	}
	read("11100000000013127D001", 8, t0) // another org
	read("11100000000013338W011", 7, t0) // another type
	if st.n != 3 {
		t.Fatalf("%d reads, want one per type and org (3)", st.n)
	}
	read("11100000000013127D001", 7, t0.Add(KeptIssuingTTL))
	if st.n != 4 {
		t.Fatalf("%d reads: kept past its TTL", st.n)
	}
	k.forget("11100000000013127D001", 7)
	read("11100000000013127D001", 7, t0.Add(KeptIssuingTTL))
	if st.n != 5 {
		t.Fatalf("%d reads: kept after it was forgotten", st.n)
	}
	read("11100000000013127D001", 7, t0.Add(-time.Minute)) // a clock set back
	if st.n != 6 {
		t.Fatalf("%d reads: served what was read in the clock's future", st.n)
	}

	st.keyless = true
	keyless := &KeptIssuing{}
	for range 2 {
		if _, err := keyless.read(ctx, st, "11100000000013127D001", 9, t0); err != nil {
			t.Fatal(err)
		}
	}
	if st.n != 8 {
		t.Fatalf("an org with no key was kept (%d reads, want 8)", st.n)
	}
}
