package identity_test

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestPhoneSignsInOnlyOnceVerified: any registration could take someone
// else's phone, after which that person's phone sign-in failed with
// "该手机号关联多个账号", telling the number was in use. A phone is now
// stored unverified, never used to sign in nor disclosed, until its owner
// proves possession (MarkPhoneVerified), which takes it from any other
// account.
func TestPhoneSignsInOnlyOnceVerified(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		owner, err := f.svc.RegisterCitizen(ctx, identity.CitizenRegistration{Name: "李四", IDNumber: "11010519491231002X",
			Phone: "13800138000", Password: goodPassword}, identity.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if owner.PhoneVerifiedAt != nil {
			t.Fatal("a registered phone starts verified")
		}
		if _, _, err := f.svc.Login(ctx, "13800138000", goodPassword, identity.Request{IP: "10.0.0.1"}); !tongban.IsCode(err, tongban.EUnauthorized) {
			t.Fatalf("unverified phone: %v, want the plain sign-in refusal", err)
		}
		if err := f.svc.MarkPhoneVerified(ctx, owner.ID, owner.Phone, identity.Request{Actor: owner}); err != nil {
			t.Fatal(err)
		}
		if u, _, err := f.svc.Login(ctx, "138 0013 8000", goodPassword, identity.Request{IP: "10.0.0.1"}); err != nil || u.ID != owner.ID {
			t.Fatalf("verified phone: %v", err)
		}

		// Someone registers with the owner's number: accepted without a word
		// about the number, stored unverified; the owner still signs in by it.
		squatter, err := f.svc.RegisterCitizen(ctx, identity.CitizenRegistration{Name: "王五", IDNumber: withCheckDigit("11010519491231003"),
			Phone: "13800138000", Password: "Squat#20261"}, identity.Request{})
		if err != nil {
			t.Fatalf("registration with a number in use must not tell: %v", err)
		}
		if u, _, err := f.svc.Login(ctx, "13800138000", goodPassword, identity.Request{IP: "10.0.0.1"}); err != nil || u.ID != owner.ID {
			t.Fatalf("owner after a squatter registered the number: %v", err)
		}
		_, _, err = f.svc.Login(ctx, "13800138000", "Squat#20261", identity.Request{IP: "10.0.0.3"})
		if e := tongban.AsError(err); e.Code != tongban.EUnauthorized || e.Message != "账号或密码错误" {
			t.Fatalf("squatter by phone: %v, want the plain refusal", err)
		}

		// The number moves when its new holder proves it.
		if err := f.svc.MarkPhoneVerified(ctx, squatter.ID, squatter.Phone, identity.Request{Actor: squatter}); err != nil {
			t.Fatal(err)
		}
		if u, _, err := f.svc.Login(ctx, "13800138000", "Squat#20261", identity.Request{IP: "10.0.0.4"}); err != nil || u.ID != squatter.ID {
			t.Fatalf("new holder: %v", err)
		}
		if u, _ := f.st.User(ctx, owner.ID); u.PhoneVerifiedAt != nil {
			t.Error("the number stayed verified on the old account")
		}
		if n := countAction(t, f.st, identity.AuditPhoneVerified); n != 2 {
			t.Errorf("%d phone_verified audit entries, want 2", n)
		}
		landline, _ := tongban.ParsePhone("0826-2345678")
		if err := f.svc.MarkPhoneVerified(ctx, owner.ID, landline, identity.Request{}); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("a landline verified: %v", err)
		}
	})
}
