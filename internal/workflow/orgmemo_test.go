package workflow

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
)

// orgReadCounter answers Org and counts the reads; every other method is
// the nil Store's (unused here).
type orgReadCounter struct {
	tongban.Store
	reads map[int64]int
}

func (c *orgReadCounter) Org(_ context.Context, id int64) (*tongban.Org, error) {
	c.reads[id]++
	if id == 404 {
		return nil, tongban.Errorf(tongban.ENotFound, "org %d", id)
	}
	return &tongban.Org{ID: id, Name: "广安市市场监督管理局"}, nil
}

// TestOrgsOnceReadsEachOrgOnce: within one transaction an org is read
// from the store once, each caller gets its own copy, and a failed read
// is not remembered.
func TestOrgsOnceReadsEachOrgOnce(t *testing.T) {
	ctx := context.Background()
	st := &orgReadCounter{reads: map[int64]int{}}
	m := newOrgsOnce(st)
	a, err := m.Org(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	a.Name = "changed by one caller"
	b, err := m.Org(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "广安市市场监督管理局" {
		t.Errorf("a caller's change reached another: %q", b.Name)
	}
	if _, err := m.Org(ctx, 8); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := m.Org(ctx, 404); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Fatalf("unknown org: %v", err)
		}
	}
	if st.reads[7] != 1 || st.reads[8] != 1 || st.reads[404] != 2 {
		t.Errorf("reads = %v, want 7 and 8 once, the unknown one each time", st.reads)
	}
}
