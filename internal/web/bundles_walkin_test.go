package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// newbornForm is the one form of 新生儿出生 as the apply page posts it.
func newbornForm() url.Values {
	v := url.Values{"answer_hukou": {"here"}, "answer_card": {"yes"}}
	for k, x := range map[string]string{"baby_name": "王小宝", "sex": "男", "birth_date": "2026-02-20",
		"birth_place": "广安市妇幼保健院", "mother_name": "李梅", "mother_id": "511602199205081228",
		"father_name": "王小明", "father_id": "511602198807150011", "declarant_id": "511602198807150011",
		"address": "广安市广安区北辰路1号", "phone": "13912345678"} {
		v.Set("field_"+k, x)
	}
	return v
}

// recordWalkIn has the clerk look up a card with no account and record the
// person (or enterprise) there; it returns the record's id as the counter
// page offers it for the bundles.
func recordWalkIn(t *testing.T, clerk *browser, b *tongban.Bundle, card string, fields url.Values) int64 {
	t.Helper()
	q := "/console/counter?id_number=" + url.QueryEscape(card)
	_, page := clerk.get(q)
	mustContain(t, "unknown card", page, `id="walkin-form"`)
	field := "id_number"
	if _, err := tongban.ParseCreditCode(card); err == nil {
		field = "credit_code"
	}
	fields.Set(field, card)
	status, page, loc := clerk.post(q, "/console/counter/walkin", fields)
	if status != http.StatusSeeOther {
		t.Fatalf("record the walk-in: %d %s", status, errorOf(page))
	}
	_, page = clerk.get(loc)
	m := regexp.MustCompile(fmt.Sprintf(`/console/counter/bundles/%d\?applicant=(\d+)`, b.ID)).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the counter offers no %s for the walk-in", b.Name)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// A person and an enterprise with no account are served at the window: the
// clerk records each (name, card, phone), takes 新生儿出生 for the person
// and 开办餐饮店 for the enterprise; the parents and every sub-case —
// those started at once and the one that started after its prerequisite —
// belong to the walk-in record, whose registration claims them (the record
// is the account). Both engines.
func TestBundleForWalkInAtCounter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		b, a := siteOn(t, d)
		ctx := context.Background()
		newborn, restaurant := demoBundle(t, a, "YJS-XSECS"), demoBundle(t, a, "YJS-KBCYD")
		clerk := b.another()
		clerk.signIn("clerk")

		const card = "511602198807150011"
		person := recordWalkIn(t, clerk, newborn, card, url.Values{"name": {"王小明"}, "phone": {"13912345678"}})
		rec, err := a.Store.User(ctx, person)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Kind != tongban.UserCitizen || rec.Name != "王小明" || string(rec.IDNumber) != card {
			t.Fatalf("the walk-in record: %+v", rec)
		}
		bc := counterBundle(t, a, clerk, newborn, card, person, newbornForm())
		owned := func(bc *tongban.BundleCase, who int64) (started int) {
			t.Helper()
			if bc.ApplicantID != who || bc.Channel != tongban.ChannelCounter {
				t.Errorf("%s: applicant %d channel %s; want %d at the counter", bc.Number, bc.ApplicantID, bc.Channel, who)
			}
			for _, sc := range bc.Subs {
				if sc.CaseID == 0 {
					continue
				}
				started++
				c, err := a.Store.Case(ctx, sc.CaseID)
				if err != nil {
					t.Fatal(err)
				}
				if c.ApplicantID != who || c.Channel != tongban.ChannelCounter {
					t.Errorf("%s (%s): applicant %d channel %s; want %d at the counter", sc.Name, c.Number, c.ApplicantID, c.Channel, who)
				}
			}
			return started
		}
		if len(bc.Subs) != 4 {
			t.Fatalf("新生儿出生 with 户口 here and a card has %d sub-cases; want 4", len(bc.Subs))
		}
		// What starts at once and what after the certificate, from the definition.
		startsAfter := func(b *tongban.Bundle, done map[string]bool) (n int) {
			for _, c := range b.Components {
				ok := true
				for _, a := range c.After {
					ok = ok && done[a]
				}
				if ok {
					n++
				}
			}
			return n
		}
		atOnce := startsAfter(newborn, nil)
		if n := owned(bc, person); n != atOnce || n == len(bc.Subs) {
			t.Errorf("%d sub-cases started at once; want %d, with some waiting", n, atOnce)
		}
		// The certificate's result starts what waits on it, still the walk-in's.
		cert, _ := bc.Sub("birth_cert")
		newDecider(t, a).decide(t, cert.CaseID, true, "Q510000001")
		if bc, err = a.Store.BundleCaseByNumber(ctx, bc.Number); err != nil {
			t.Fatal(err)
		}
		if n, want := owned(bc, person), startsAfter(newborn, map[string]bool{"birth_cert": true}); n != want || n <= atOnce {
			t.Errorf("%d sub-cases started after the certificate; want %d", n, want)
		}
		_, page := clerk.get("/console/bundle-cases/" + bc.Number)
		mustContain(t, "the parent", page, tongban.MaskName("王小明"))

		// An enterprise walk-in: credit code, name and legal representative.
		const code = "92511621MA6CD3E4FJ"
		firm := recordWalkIn(t, clerk, restaurant, code, url.Values{"name": {"广安市岳池米粉店"}, "legal_rep_name": {"刘大勇"},
			"phone": {"13712345678"}})
		shop := counterBundle(t, a, clerk, restaurant, code, firm, restaurantForm(""))
		if n, want := owned(shop, firm), startsAfter(restaurant, nil); n != want {
			t.Errorf("%d sub-cases of 开办餐饮店 started at once; want %d", n, want)
		}

		// The records have no password; registering claims the same record,
		// so what was filed for it is the account's.
		for _, id := range []int64{person, firm} {
			u, err := a.Store.User(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if identity.Registered(u) {
				t.Errorf("walk-in record %d has a password", id)
			}
		}
	})
}
