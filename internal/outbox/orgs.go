package outbox

import (
	"context"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// orgTree knows each org's parent and region, to match events to the
// webhooks of the departments above them. Orgs change rarely; a minute-old
// copy is fine, and a new org is picked up by the next refresh.
type orgTree struct {
	mu     sync.Mutex
	loaded time.Time
	tree   *orgIndex
}

type orgIndex struct {
	parent map[int64]int64
	region map[int64]string
}

const orgTreeTTL = time.Minute

func (t *orgTree) get(ctx context.Context, st tongban.OrgStore, now time.Time) (*orgIndex, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tree != nil && now.Sub(t.loaded) < orgTreeTTL && now.After(t.loaded) {
		return t.tree, nil
	}
	orgs, err := st.Orgs(ctx, tongban.OrgFilter{})
	if err != nil {
		return nil, err
	}
	ix := &orgIndex{parent: map[int64]int64{}, region: map[int64]string{}}
	for _, o := range orgs {
		ix.parent[o.ID] = o.ParentID
		ix.region[o.ID] = o.RegionCode
	}
	t.tree, t.loaded = ix, now
	return ix, nil
}

// covers reports whether an event belongs to the webhook's department: the
// event's org is the webhook's org or below it, or, for a region-wide
// webhook, the event lies in the webhook org's region.
func (ix *orgIndex) covers(h *tongban.Webhook, e *tongban.OutboxEvent) bool {
	if h.RegionWide {
		region := e.RegionCode
		if region == "" {
			region = ix.region[e.OrgID]
		}
		return region != "" && tongban.RegionContains(ix.region[h.OrgID], region)
	}
	for id, depth := e.OrgID, 0; id != 0 && depth < 16; id, depth = ix.parent[id], depth+1 {
		if id == h.OrgID {
			return true
		}
	}
	return false
}
