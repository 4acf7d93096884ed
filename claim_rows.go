package tongban

import "context"

// ClaimKey names one row a claimed reference's check reads by key before
// a submission's transaction: the arguments of DataResourceRecord
// (Resource, SubjectKind, Subject), of LicenseByIdentifier (License) or of
// LibraryEntry (LibraryEntry). One of Resource, License and LibraryEntry
// is set.
type ClaimKey struct {
	Resource     string
	SubjectKind  SubjectKind
	Subject      string
	License      string
	LibraryEntry int64
}

// ClaimRow is what the single read of a ClaimKey returns: the resource
// and record, the licence or the entry, or that read's error (ENotFound
// when there is no row). Rows are shared by whoever asked for the key
// and must not be modified.
type ClaimRow struct {
	Resource *DataResource
	Record   *DataRecord
	License  *License
	Entry    *LibraryEntry
	Err      error
}

// ClaimReadStore reads the rows of a submission's claims together.
type ClaimReadStore interface {
	// ReadClaims reads every key's row as its single read does, each row
	// decoded and each error given as that read gives them, in one round
	// trip on PostgreSQL (one after the other on SQLite, which has none).
	// An error is for the whole: no row could be trusted (the database
	// unreachable, a statement failed), and no rows are returned.
	ReadClaims(ctx context.Context, keys []ClaimKey) (map[ClaimKey]ClaimRow, error)
}
