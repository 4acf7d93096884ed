package workflow

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

// countingOrgs is a store whose orgs are a map, counting reads.
type countingOrgs struct {
	tongban.Store
	names map[int64]string
	reads int
}

func (s *countingOrgs) Org(_ context.Context, id int64) (*tongban.Org, error) {
	s.reads++
	name, ok := s.names[id]
	if !ok {
		return nil, tongban.Errorf(tongban.ENotFound, "机构 %d 不存在", id)
	}
	return &tongban.Org{ID: id, Name: name}, nil
}

// A department's name is read once and served from memory for
// OrgNameTTL; a rename (made in the database: Tongban has none) shows
// after it; an org not found is not remembered.
func TestOrgNameCacheExpires(t *testing.T) {
	ctx := context.Background()
	st := &countingOrgs{names: map[int64]string{7: "广安区市场监督管理局"}}
	clock := tongban.NewManualClock(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	s := &Service{Store: st, Clock: clock}
	name := func(id int64) string {
		t.Helper()
		n, err := s.orgName(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := name(7); got != "广安区市场监督管理局" || st.reads != 1 {
		t.Fatalf("first read = %q after %d reads", got, st.reads)
	}
	st.names[7] = "广安区市场监管局"
	clock.Advance(OrgNameTTL - time.Second)
	if got := name(7); got != "广安区市场监督管理局" || st.reads != 1 {
		t.Errorf("within the TTL = %q after %d reads; want the remembered name, 1 read", got, st.reads)
	}
	clock.Advance(time.Second)
	if got := name(7); got != "广安区市场监管局" || st.reads != 2 {
		t.Errorf("after the TTL = %q after %d reads; want the new name, 2 reads", got, st.reads)
	}
	// A clock set back (a reading from the future) is not trusted.
	clock.Set(clock.Now().Add(-time.Hour))
	st.names[7] = "前锋区市场监督管理局"
	if got := name(7); got != "前锋区市场监督管理局" {
		t.Errorf("with the clock set back = %q; want it read again", got)
	}

	if _, err := s.orgName(ctx, 8); !tongban.IsCode(err, tongban.ENotFound) {
		t.Fatalf("unknown org: %v, want not found", err)
	}
	st.names[8] = "广安区人力资源和社会保障局"
	if got := name(8); got != st.names[8] {
		t.Errorf("an org added after a miss = %q", got)
	}
}
