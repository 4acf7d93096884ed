// Package catalog holds the rules of the service catalog: the quality check a
// listing must pass before it is published, tailoring the material list to an
// applicant's situation, the 三统一 comparison of one item's listings across
// districts, and the spreadsheet layout (docs/catalog-columns.md) used to
// import and export listings. It is pure Go: no SQL, no HTTP.
package catalog
