package notify_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A walk-in record is claimed by registration only with the code texted to
// the phone the counter recorded; the claim proves that phone.
func TestWalkInClaimNeedsTheCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ids := identity.New(w.st, w.clock, quiet)
		ids.Argon2 = identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}
		ids.ProvePhone = w.codes.ProveWalkInPhone
		rec := &tongban.User{Kind: tongban.UserCitizen, Name: "王小明", IDNumber: "511602198807150011", Phone: "13912345678",
			CreatedAt: w.clock.Now()} // a counter's record: no password
		w.must(w.st.CreateUser(w.ctx, rec))
		reg := identity.CitizenRegistration{Name: "王小明", IDNumber: "511602198807150011", Phone: "13912345678",
			Password: "Wxm@2026pass", AcceptedAgreements: identity.AgreementsVersion}
		if _, err := ids.RegisterCitizen(w.ctx, reg, identity.Request{}); tongban.AsError(err).Field != "phone_code" {
			t.Fatalf("without a code: %v", err)
		}
		_, err := w.codes.SendRegistrationCode(w.ctx, "13912345678", "10.0.0.9")
		w.must(err)
		code := w.lastCode()
		reg.PhoneCode = "000000"
		if code == reg.PhoneCode {
			reg.PhoneCode = "111111"
		}
		if _, err := ids.RegisterCitizen(w.ctx, reg, identity.Request{}); tongban.AsError(err).Field != "phone_code" {
			t.Fatalf("a wrong code: %v", err)
		}
		reg.PhoneCode = code
		u, err := ids.RegisterCitizen(w.ctx, reg, identity.Request{})
		w.must(err)
		if u.ID != rec.ID {
			t.Fatalf("registered %d, not the walk-in record %d", u.ID, rec.ID)
		}
		got, err := w.st.UserByLogin(w.ctx, "13912345678") // only a proved phone signs in
		if err != nil || got.ID != rec.ID || !identity.Registered(got) {
			t.Errorf("after the claim: %+v %v", got, err)
		}
	})
}
