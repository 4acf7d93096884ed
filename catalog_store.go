package tongban

import "context"

// ItemFilter narrows a listing of base-catalog items.
type ItemFilter struct {
	Q      string   // part of the name or code
	Type   ItemType // "" for any
	Sector string
	Limit  int // 0 = the store's default (1000); at most 10000
	Offset int
}

// ListingFilter narrows a listing of implementation listings. Every field is
// optional; set fields combine with AND.
type ListingFilter struct {
	Region   string // region code: listings in this region and below
	OrgID    int64
	ItemID   int64
	ItemCode string
	Status   ListingStatus
	Audience Audience // the item's audience; "both" items match either
	CaseType CaseType
	Depth    OnlineDepth
	Q        string // part of the listing name or code
	Limit    int    // 0 = the store's default (1000); at most 10000
	Offset   int
	// ByID pages by key instead of by offset: listings with ID > AfterID, in
	// ID order, so reading a whole large catalog costs one index range per
	// page rather than a sort and a skip of everything before it.
	ByID    bool
	AfterID int64
	// Unpublished, if not nil, keeps listings that are not published to the
	// orgs of this scope (the caller's edit scope); nil shows them all.
	Unpublished *OrgScope
}

// ClaimFilter narrows a listing of claims.
type ClaimFilter struct {
	ItemID int64
	OrgID  int64
	Region string // region code: claims in this region and below
}

// CatalogStore persists the base catalog, implementation listings, their
// immutable versions and claims. It holds no rules: numbering versions,
// quality checks and publishing are decided in internal/catalog.
type CatalogStore interface {
	// CreateItem inserts it; a taken code is an EConflict.
	CreateItem(ctx context.Context, it *Item) error
	// UpsertItem inserts it, or updates the item with the same code, and
	// sets it.ID either way.
	UpsertItem(ctx context.Context, it *Item) error
	Item(ctx context.Context, id int64) (*Item, error)
	ItemByCode(ctx context.Context, code string) (*Item, error)
	Items(ctx context.Context, f ItemFilter) ([]*Item, error)

	// CreateListing inserts l with l.Version (1 if zero); ItemID and OrgID
	// must be set. A taken code is an EConflict.
	CreateListing(ctx context.Context, l *Listing) error
	// UpdateListing writes l if l.Version is still the stored version, then
	// increments l.Version (stored too). A stale version is an EConflict.
	UpdateListing(ctx context.Context, l *Listing) error
	Listing(ctx context.Context, id int64) (*Listing, error)
	// ListingCurrentVersion returns only the listing's current version
	// number: with the immutable versions cached, that is all a submission
	// naming no version needs to read.
	ListingCurrentVersion(ctx context.Context, id int64) (int, error)
	ListingByCode(ctx context.Context, code string) (*Listing, error)
	// Listings returns listings ordered by region, org and id.
	Listings(ctx context.Context, f ListingFilter) ([]*Listing, error)
	CountListings(ctx context.Context, f ListingFilter) (int, error)

	// InsertListingVersion stores an immutable snapshot; a second snapshot
	// of the same listing and version is an EConflict.
	InsertListingVersion(ctx context.Context, v *ListingVersion) error
	// ListingVersion returns the listing as it was at version: what a case
	// applied under keeps showing after later edits.
	ListingVersion(ctx context.Context, listingID int64, version int) (*Listing, error)
	// ListingVersions returns a listing's snapshots, newest first.
	ListingVersions(ctx context.Context, listingID int64) ([]*ListingVersion, error)

	// CreateClaim records a claim; the same org claiming an item twice is an EConflict.
	CreateClaim(ctx context.Context, c *Claim) error
	// ClaimUnlessClaimed records c unless its org has claimed its item
	// already, reporting whether it did: an import's claims, one statement
	// each, with no read before it whose plan could go stale in a long
	// transaction.
	ClaimUnlessClaimed(ctx context.Context, c *Claim) (bool, error)
	Claim(ctx context.Context, itemID, orgID int64) (*Claim, error)
	Claims(ctx context.Context, f ClaimFilter) ([]*Claim, error)
}

// OrgScope is where someone's permission reaches: every org in Regions
// (region codes, each with everything below it) and the orgs in OrgIDs.
type OrgScope struct {
	Regions []string
	OrgIDs  []int64
}
