package outbox

// JSONAppender is a payload that encodes itself: Append stores what
// AppendJSON appends instead of what encoding/json would make of it. Every
// case event is encoded in its action's transaction, where the reflective
// encoder was about 2 % of a submission's CPU; a payload implementing this
// must produce the same bytes (the case announcement's test compares).
type JSONAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}
