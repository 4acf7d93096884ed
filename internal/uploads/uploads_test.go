package uploads

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/blob"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// Monday 2026-03-02 09:00 in China.
var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func pdf(tag string) []byte {
	return []byte("%PDF-1.4\n% " + tag + strings.Repeat(" ", 40) + "\n%%EOF\n")
}

func service(t *testing.T, d sqldb.Dialect) (*Service, *tongban.ManualClock, *tongban.User, *tongban.User) {
	t.Helper()
	st, ctx := storetest.Open(t, d), context.Background()
	blobs, err := blob.NewLocal(t.TempDir(), storetest.Sealer(t))
	if err != nil {
		t.Fatal(err)
	}
	citizen := &tongban.User{Kind: tongban.UserCitizen, Name: "张三", IDNumber: "11010519491231002X", Phone: "13800138000", CreatedAt: t0}
	staff := &tongban.User{Kind: tongban.UserStaff, Name: "陈窗口", Username: "clerk", CreatedAt: t0}
	for _, u := range []*tongban.User{citizen, staff} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	clock := tongban.NewManualClock(t0)
	return &Service{Store: st, Blobs: blobs, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		DailyQuota: 100, Grace: DefaultGrace}, clock, citizen, staff
}

// An applicant who has uploaded the day's quota is refused with 429 and a
// Chinese message until the next China day; staff are not limited.
func TestDailyQuota(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		s, clock, citizen, staff := service(t, d)
		ctx := context.Background()
		for i, tag := range []string{"一", "二"} { // ~60 bytes each: under 100 before each of the two
			if _, err := s.Put(ctx, citizen, "file", bytes.NewReader(pdf(tag))); err != nil {
				t.Fatalf("upload %d: %v", i+1, err)
			}
		}
		_, err := s.Put(ctx, citizen, "file", bytes.NewReader(pdf("三")))
		e := tongban.AsError(err)
		if tongban.HTTPStatus(err) != 429 || e.Field != "file" || !strings.Contains(e.Message, "今日上传已达上限") {
			t.Fatalf("over quota: %v", err)
		}
		if _, err := s.Put(ctx, staff, "file", bytes.NewReader(pdf("窗口"))); err != nil {
			t.Fatalf("staff: %v", err)
		}
		// Midnight in China (16:00 UTC) starts a new day.
		clock.Set(time.Date(2026, 3, 2, 16, 0, 1, 0, time.UTC))
		if _, err := s.Put(ctx, citizen, "file", bytes.NewReader(pdf("三"))); err != nil {
			t.Fatalf("the next day: %v", err)
		}
	})
}

// After the grace period the janitor's sweep deletes an upload no case
// names and keeps one a case names; nothing is looked at twice.
func TestSweepDeletesUnusedUploads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		s, clock, citizen, _ := service(t, d)
		ctx := context.Background()
		used, _ := s.Put(ctx, citizen, "file", bytes.NewReader(pdf("用")))
		unused, _ := s.Put(ctx, citizen, "file", bytes.NewReader(pdf("弃")))
		// A draft case names the used file (drafts are cases in state draft).
		if err := s.Store.CreateCase(ctx, draftCase(t, s.Store, citizen, used.Hash)); err != nil {
			t.Fatal(err)
		}
		clock.Advance(6 * 24 * time.Hour)
		if n, err := s.Sweep(ctx); err != nil || n != 0 || !s.Blobs.Exists(unused.Hash) {
			t.Fatalf("within the grace: %d deleted, %v", n, err)
		}
		clock.Advance(2 * 24 * time.Hour)
		if n, err := s.Sweep(ctx); err != nil || n != 1 {
			t.Fatalf("sweep = %d, %v; want 1", n, err)
		}
		if s.Blobs.Exists(unused.Hash) || !s.Blobs.Exists(used.Hash) {
			t.Errorf("unused kept %v, used kept %v", s.Blobs.Exists(unused.Hash), s.Blobs.Exists(used.Hash))
		}
		if n, _ := s.Sweep(ctx); n != 0 {
			t.Errorf("second sweep deleted %d", n)
		}
	})
}

// draftCase is a stored draft naming hash, in a region and department of its own.
func draftCase(t *testing.T, st tongban.Store, applicant *tongban.User, hash string) *tongban.Case {
	t.Helper()
	ctx := context.Background()
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"}} {
		if err := st.CreateRegion(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	dept := &tongban.Org{Code: "gas-scjgj", Name: "广安市市场监督管理局", Kind: tongban.OrgDepartment, RegionCode: "511600000000"}
	if err := st.CreateOrg(ctx, dept); err != nil {
		t.Fatal(err)
	}
	return &tongban.Case{Number: "511600000000-20260302-000001", ListingID: 1, ListingVersion: 1, OrgID: dept.ID,
		RegionCode: dept.RegionCode, ApplicantID: applicant.ID, ApplicantName: applicant.Name, Channel: tongban.ChannelOnline,
		State: tongban.CaseDraft, Form: []byte(`{}`), CreatedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(time.Hour),
		Materials: []tongban.CaseMaterial{{Key: "m1", Name: "申请书", BlobHash: hash, Status: tongban.MaterialProvided}}}
}
