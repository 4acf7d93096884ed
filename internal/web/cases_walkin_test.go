package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/tongban/tongban"
)

// A walk-in refused for the card itself (a hidden input of the form, here
// one garbled on the way) shows why above the counter's forms: the page has
// no place beside the card for it, and once showed nothing at all.
func TestWalkInRefusedForTheCardSaysWhy(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	const card = "511602198807150012" // the check digit is wrong
	_, err := tongban.ParseIDNumber(card)
	if err == nil {
		t.Fatalf("%s parses", card)
	}
	status, page, _ := s.as("clerk").post("/console/counter", "/console/counter/walkin",
		url.Values{"id_number": {card}, "name": {"王小明"}, "phone": {"13912345678"}})
	if status != http.StatusBadRequest {
		t.Fatalf("walk-in with a garbled card: %d %s", status, errorOf(page))
	}
	mustContain(t, "walk-in refused", page,
		`<p class="error" role="alert" id="counter-error">`+tongban.AsError(err).Message+`</p>`)
}
