package workflow

import (
	"context"

	"github.com/tongban/tongban"
)

// orgsOnce reads each org at most once in one transaction. An action's
// rules ask for the same departments again and again (the actor's window
// and hall for the grant, routing, the pickup window, the records'
// names): eight reads of one row under the case's lock became one. The
// first read stands for the rest of the transaction; a department changed
// meanwhile (a hall's result window) is seen by the next action.
type orgsOnce struct {
	tongban.Store
	byID map[int64]*tongban.Org
}

func newOrgsOnce(st tongban.Store) *orgsOnce {
	return &orgsOnce{Store: st, byID: map[int64]*tongban.Org{}}
}

// Org returns a copy, so a caller changing it cannot change another's.
func (m *orgsOnce) Org(ctx context.Context, id int64) (*tongban.Org, error) {
	o, ok := m.byID[id]
	if !ok {
		var err error
		if o, err = m.Store.Org(ctx, id); err != nil {
			return nil, err
		}
		m.byID[id] = o
	}
	c := *o
	return &c, nil
}
