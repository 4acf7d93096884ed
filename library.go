package tongban

import (
	"context"
	"time"
)

// LibraryEntry is one paper of an applicant's material library (材料库): a
// file the applicant handed over in a case and staff confirmed (审核通过),
// offered again for any listing that asks the same standard material until
// it expires, so it is handed over once.
type LibraryEntry struct {
	ID       int64  `json:"id"`
	OwnerID  int64  `json:"-"`        // the applicant
	Standard string `json:"standard"` // standard material code
	Name     string `json:"name"`     // the material's name where it was confirmed
	BlobHash string `json:"blob_hash"`
	// ValidUntil (YYYY-MM-DD, China civil date, inclusive) is the document's
	// own expiry, or the confirmation date plus the standard material's or
	// the platform's default validity.
	ValidUntil  string    `json:"valid_until"`
	CaseID      int64     `json:"-"`
	CaseNumber  string    `json:"case_number"` // where it was confirmed
	MaterialKey string    `json:"material_key"`
	ConfirmedBy int64     `json:"-"`
	ConfirmedAt time.Time `json:"confirmed_at"`
	// ConfirmedOrg is the department (or window) whose staff confirmed it.
	ConfirmedOrg string `json:"confirmed_org,omitempty"`
	// DeletedAt is when the applicant removed it from the library; a case
	// that already used it keeps its reference.
	DeletedAt time.Time `json:"deleted_at,omitzero"`
}

// ValidOn reports whether the entry may be reused on the day (YYYY-MM-DD).
func (e *LibraryEntry) ValidOn(day string) bool { return e.DeletedAt.IsZero() && day <= e.ValidUntil }

// LibraryStore keeps the material libraries.
type LibraryStore interface {
	// AddLibraryEntry stores e (ID set).
	AddLibraryEntry(ctx context.Context, e *LibraryEntry) error
	// LibraryEntry returns one entry, deleted or not (ENotFound if none).
	LibraryEntry(ctx context.Context, id int64) (*LibraryEntry, error)
	// LibraryEntries lists an owner's entries not deleted, newest
	// confirmation first; standard "" lists every standard material, and
	// validOn (YYYY-MM-DD) "" lists expired ones too.
	LibraryEntries(ctx context.Context, ownerID int64, standard, validOn string) ([]*LibraryEntry, error)
	// ExtendLibraryEntry moves a live entry's expiry and the case it was
	// last confirmed in.
	ExtendLibraryEntry(ctx context.Context, e *LibraryEntry) error
	// DeleteLibraryEntry removes the owner's entry from the library;
	// another owner's entry, or one already deleted, is ENotFound.
	DeleteLibraryEntry(ctx context.Context, ownerID, id int64, at time.Time) error
}
