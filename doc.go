// Package tongban holds the domain types and store interfaces of Tongban (通办),
// a platform on which a city or province runs its government services.
// Rules live in internal/<concept>; adapters (storage, HTTP) depend on this
// package and never the other way round.
package tongban
