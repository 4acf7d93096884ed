package workflow

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// CurrentListingTTL is how long a listing's current version and its item,
// read together for a submission, are served from memory. The version and
// the item's name are checked again by the statement that inserts the
// case (tongban.CaseRecords.ListingCurrent): a submission never files
// under a version superseded (a suspension, a withdrawal) or an item name
// changed before its insert. The item's other fields (its sector, which
// routes a case accepted at the window) may be up to CurrentListingTTL old.
const CurrentListingTTL = 30 * time.Second

// currentOf is a listing's current version and its item, as one read saw
// them.
type currentOf struct {
	version int
	item    *tongban.Item
}

// rememberedCurrent returns listing id's current version and item, from
// memory when read less than CurrentListingTTL ago. A listing without an
// item, or not found, is not remembered (the caller reads it the long way).
// Items are kept once by ID, so memory grows with the items applied for,
// not with their listings' regional copies.
func (s *Service) rememberedCurrent(ctx context.Context, src currentListingWithItem, id int64) (currentOf, error) {
	now := s.Clock.Now()
	return s.currentListings.Load(id, now, CurrentListingTTL, func() (currentOf, error) {
		v, it, err := src.ListingCurrentVersionWithItem(ctx, id)
		if err != nil {
			return currentOf{}, err
		}
		it, _ = s.itemsByID.Load(it.ID, now, CurrentListingTTL, func() (*tongban.Item, error) { return it, nil }, nil)
		return currentOf{version: v, item: it}, nil
	}, nil)
}

// forgetCurrent drops what memory holds of listing id's current version,
// after its case's insert found it moved.
func (s *Service) forgetCurrent(id int64) { s.currentListings.Forget(id) }
