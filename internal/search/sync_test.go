package search_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/directory"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/search"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
)

// demoCity is the demo city in a fresh database with an index synced from it.
type demoCity struct {
	st      *store.Store
	cat     *catalog.Service
	ids     *identity.Service
	clock   *stepClock
	ix      *search.Index
	sync    *search.Syncer
	catalog *tongban.User // the demo 事项管理员
}

// stepClock advances a second per reading, so every change gets its own
// updated_at, as on a real server.
type stepClock struct{ t time.Time }

func (c *stepClock) Now() time.Time { c.t = c.t.Add(time.Second); return c.t }

func loadDemoCity(t testing.TB, d sqldb.Dialect) *demoCity {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, d)
	clock := &stepClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ids := identity.New(st, clock, log)
	cat := &catalog.Service{Store: st, Clock: clock}
	l := demo.Loader{Store: st, Directory: &directory.Service{Store: st, Clock: clock, Authz: ids.Authorizer},
		Identity: ids, Catalog: cat, Log: log}
	if err := l.Load(ctx); err != nil {
		t.Fatal(err)
	}
	c := &demoCity{st: st, cat: cat, ids: ids, clock: clock, ix: search.New()}
	c.sync = c.syncer()
	if err := c.sync.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	admin, err := st.UserByLogin(ctx, "catalog")
	if err != nil {
		t.Fatal(err)
	}
	c.catalog = admin
	return c
}

// syncer is another app server's view of the same database.
func (c *demoCity) syncer() *search.Syncer {
	return &search.Syncer{Index: search.New(), DB: c.st.DB(), Store: c.st, Clock: c.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func (c *demoCity) find(t testing.TB, itemName, region string) *tongban.Listing {
	t.Helper()
	ls, err := c.st.Listings(context.Background(), tongban.ListingFilter{Region: region, Q: itemName})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.RegionCode == region {
			return l
		}
	}
	t.Fatalf("no listing %q in %s", itemName, region)
	return nil
}

func hitIDs(t testing.TB, ix *search.Index, q search.Query) []int64 {
	t.Helper()
	res, err := ix.Search(q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, h := range res.Hits {
		ids = append(ids, h.ListingID)
	}
	return ids
}

func has(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// The index is built from the database and follows the catalog: a listing
// withdrawn, suspended, edited or republished, and an item renamed, show in
// search after one poll — on another app server's index too, which is the
// point of polling the database.
func TestSyncFollowsCatalog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx := context.Background()
		c := loadDemoCity(t, d)
		n, err := c.st.CountListings(ctx, tongban.ListingFilter{Status: tongban.ListingPublished})
		if err != nil {
			t.Fatal(err)
		}
		if c.ix.Len() != 0 || c.sync.Index.Len() != n || n < 170 {
			t.Fatalf("rebuilt index holds %d docs, published listings %d", c.sync.Index.Len(), n)
		}
		other := c.syncer() // a second app server
		if err := other.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		both := func(t *testing.T, q search.Query, id int64, want bool) {
			t.Helper()
			for i, s := range []*search.Syncer{c.sync, other} {
				if err := s.Poll(ctx); err != nil {
					t.Fatal(err)
				}
				if got := has(hitIDs(t, s.Index, q), id); got != want {
					t.Errorf("server %d: %q finds listing %d = %v, want %v", i+1, q.Text, id, got, want)
				}
			}
		}
		req := identity.Request{Actor: c.catalog, IP: "test"}
		food := c.find(t, "食品经营许可证核发", "511603000000")
		q := search.Query{Text: "食品经营许可证核发", Region: "511603", Limit: 10}
		both(t, q, food.ID, true)

		// Withdrawn: gone. Polling again changes nothing.
		if _, err := c.cat.Withdraw(ctx, req, food.ID, 0, "机构调整"); err != nil {
			t.Fatal(err)
		}
		both(t, q, food.ID, false)
		both(t, q, food.ID, false)

		// Suspended listings take no applications and are not public.
		birth := c.find(t, "生育登记", "511621000000")
		bq := search.Query{Text: "生育登记", Region: "511621", Limit: 10}
		both(t, bq, birth.ID, true)
		if _, err := c.cat.Suspend(ctx, req, birth.ID, 0, "系统升级"); err != nil {
			t.Fatal(err)
		}
		both(t, bq, birth.ID, false)
		if _, err := c.cat.Publish(ctx, req, birth.ID, 0, "恢复"); err != nil {
			t.Fatal(err)
		}
		both(t, bq, birth.ID, true)

		// An edit of a published listing is searchable by its new wording.
		id := c.find(t, "居民身份证换领", "511622000000")
		edited := id.Clone()
		edited.FAQ = append(edited.FAQ, tongban.QA{Question: "可以在自助机上拍照吗？", Answer: "可以，武胜县政务服务中心一楼设有证件照自助拍照机。"})
		if _, err := c.cat.SaveListing(ctx, req, edited, "补充常见问题"); err != nil {
			t.Fatal(err)
		}
		both(t, search.Query{Text: "自助拍照机", Limit: 5}, id.ID, true)

		// An item's new alias reaches all of its listings.
		it, err := c.st.Item(ctx, id.ItemID)
		if err != nil {
			t.Fatal(err)
		}
		it.Aliases = append(it.Aliases, "身份证到期")
		it.UpdatedAt = c.clock.Now()
		if err := c.st.UpsertItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		both(t, search.Query{Text: "身份证到期", Region: "511622", Limit: 5}, id.ID, true)

		// A reconcile finds nothing to do and keeps the same docs.
		before := c.sync.Index.Len()
		if err := c.sync.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		if c.sync.Index.Len() != before || before != n-1 {
			t.Errorf("after reconcile %d docs, before %d, published %d", c.sync.Index.Len(), before, n-1)
		}
	})
}

// Synonyms saved by a catalog admin are in force at once on the server that
// saved them and after a poll on the others; bad lists are refused by line,
// and only publishers may save.
func TestSyncSynonyms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx := context.Background()
		c := loadDemoCity(t, d)
		other := c.syncer()
		if err := other.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		saved, err := c.sync.Synonyms(ctx)
		if err != nil || saved.ID != 0 || !strings.Contains(saved.Text, "开饭店") {
			t.Fatalf("default synonyms: %+v, %v", saved, err)
		}
		food := c.find(t, "食品经营许可证核发", "511602000000")
		q := search.Query{Text: "摆摊卖凉面", Region: "511602", Limit: 3}
		if has(hitIDs(t, c.sync.Index, q), food.ID) {
			t.Fatal("摆摊卖凉面 finds food licensing before any synonym says so")
		}
		req := identity.Request{Actor: c.catalog, IP: "test"}
		if err := c.sync.SaveSynonyms(ctx, req, "摆摊卖凉面 =>"); tongban.ErrorCodeOf(err) != tongban.EInvalid ||
			!strings.Contains(tongban.AsError(err).Message, "第 1 行") {
			t.Fatalf("bad list: %v", err)
		}
		dept, err := c.st.UserByLogin(ctx, "deptadmin")
		if err != nil {
			t.Fatal(err)
		}
		if err := c.sync.SaveSynonyms(ctx, identity.Request{Actor: dept}, saved.Text); tongban.ErrorCodeOf(err) != tongban.EForbidden {
			t.Fatalf("dept admin saves synonyms: %v", err)
		}
		text := saved.Text + "\n摆摊卖凉面 => 食品经营许可\n"
		if err := c.sync.SaveSynonyms(ctx, req, text); err != nil {
			t.Fatal(err)
		}
		if !has(hitIDs(t, c.sync.Index, q), food.ID) {
			t.Error("saving server: synonym not in force")
		}
		if has(hitIDs(t, other.Index, q), food.ID) {
			t.Error("other server applied the synonym before polling")
		}
		if err := other.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if !has(hitIDs(t, other.Index, q), food.ID) {
			t.Error("other server: synonym not in force after a poll")
		}
		now, err := other.Synonyms(ctx)
		if err != nil || now.ID == 0 || now.Text != text || now.SavedBy != c.catalog.ID {
			t.Errorf("saved synonyms read back as %+v, %v", now, err)
		}
		entries, err := audit.Entries(ctx, c.st, 0, 10000)
		if err != nil {
			t.Fatal(err)
		}
		audited := 0
		for _, e := range entries {
			if e.Action == search.AuditSynonyms && e.ActorID == c.catalog.ID {
				audited++
			}
		}
		if audited != 1 {
			t.Errorf("%d audit entries of the synonym save, want 1", audited)
		}
	})
}

// A poll reads only what changed lately: once the last change is older
// than the poll overlap, a poll reads no change rows at all (it read the
// whole last two minutes of changes again on every poll, for ever after a
// bulk import), while a change stamped earlier than the poll that looks
// for it, within the overlap (a transaction committing late), is found.
func TestPollReadsOnlyRecentChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx := context.Background()
		c := loadDemoCity(t, d)
		s := c.sync
		if err := s.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if s.LastPollRead() == 0 {
			t.Fatal("a poll right after loading the demo city read none of its changes: the test shows nothing")
		}
		c.clock.t = c.clock.t.Add(3 * time.Minute) // the overlap is 2
		for range 2 {
			if err := s.Poll(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := s.LastPollRead(); n != 0 {
			t.Fatalf("a poll 3 minutes after the last change read %d change rows; want none", n)
		}
		// A late commit: an edit stamped a minute before the last poll.
		req := identity.Request{Actor: c.catalog, IP: "test"}
		id := c.find(t, "居民身份证换领", "511622000000")
		edited := id.Clone()
		edited.FAQ = append(edited.FAQ, tongban.QA{Question: "可以在自助机上拍照吗？", Answer: "可以，武胜县政务服务中心一楼设有证件照自助拍照机。"})
		now := c.clock.t
		c.clock.t = now.Add(-time.Minute)
		if _, err := c.cat.SaveListing(ctx, req, edited, "补充常见问题"); err != nil {
			t.Fatal(err)
		}
		c.clock.t = now
		if err := s.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if !has(hitIDs(t, s.Index, search.Query{Text: "自助拍照机", Limit: 5}), id.ID) {
			t.Fatal("an edit committed late, within the overlap, is not in the index after a poll")
		}
		if n := s.LastPollRead(); n != 1 {
			t.Fatalf("the poll after the late edit read %d change rows; want the edit's", n)
		}
	})
}
