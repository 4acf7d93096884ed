package search

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// Syncer keeps an Index in step with the catalog in the database: Rebuild
// reads every published listing, Poll applies what changed since the last
// look. Polling the database (rather than hooking the catalog service) is
// what makes it work with several app servers: an edit made through any of
// them, or by `tongban import`, reaches every index within a poll.
type Syncer struct {
	Index *Index
	DB    *sqldb.DB     // for the change and popularity queries
	Store tongban.Store // reads listings and items whole
	Clock tongban.Clock
	Log   *slog.Logger

	mu       sync.Mutex // one Rebuild or Poll at a time
	indexed  map[int64]docState
	pop      map[int64]int64
	items    map[int64]time.Time // item id → updated_at whose listings are indexed
	listMark time.Time           // newest listings.updated_at seen
	itemMark time.Time
	// listLooked and itemLooked are when the last look at each table
	// began (Rebuild or Poll), by Clock: every row stamped pollOverlap
	// before that had committed and was seen, however old the marks are.
	listLooked, itemLooked time.Time
	lastRead               int   // change rows the last pollListings read
	synID                  int64 // search_synonyms row in force; 0 = the defaults
	// bundleMark is the newest bundles.updated_at whose bundles the index holds.
	bundleMark time.Time
	bundlesSet bool
}

// docState is what a doc was built from, so that an unchanged listing is not
// indexed again on every poll.
type docState struct {
	version int
	pop     int64
}

// Sync timing.
const (
	// PollEvery is how soon a catalog change made anywhere shows in search.
	PollEvery = 3 * time.Second
	// ReconcileEvery refreshes popularity and repairs anything a poll
	// could have missed (a server clock far off).
	ReconcileEvery = 15 * time.Minute
	// pollOverlap re-reads changes this far behind the newest one seen:
	// a transaction that stamped its rows earlier may commit later, and
	// app servers' clocks differ a little.
	pollOverlap = 2 * time.Minute
	// popularityWindow is how far back case counts make a listing popular.
	popularityWindow = 90 * 24 * time.Hour
	pageSize         = 1000
)

func (s *Syncer) now() time.Time {
	if s.Clock != nil {
		return s.Clock.Now()
	}
	return time.Now()
}

// since is the lower bound of a look for changes: pollOverlap behind the
// newest stamp seen or the start of the last look, whichever is later. A
// row stamped earlier than both by more than the overlap committed before
// that look began (the overlap is the longest a transaction's stamp may
// trail its commit, clocks' differences included) and was read then. The
// mark alone would not do: after a bulk import, with no change since, it
// stays at the import's last stamp, and every poll would read the whole
// import again.
func since(mark, looked time.Time) time.Time {
	if looked.After(mark) {
		mark = looked
	}
	return mark.Add(-pollOverlap)
}

func (s *Syncer) init() {
	if s.indexed == nil {
		s.indexed = map[int64]docState{}
		s.items = map[int64]time.Time{}
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
}

// Rebuild makes the index hold exactly the published listings, with fresh
// popularity and the synonyms in force. Docs whose listing version and
// popularity are unchanged are left alone, so a periodic rebuild does not
// churn the index.
func (s *Syncer) Rebuild(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	// Marks first: whatever changes during the scan is polled again.
	looked := s.now()
	listMark, err := s.maxUpdated(ctx, "listings")
	if err != nil {
		return err
	}
	itemMark, err := s.maxUpdated(ctx, "items")
	if err != nil {
		return err
	}
	pop, err := s.popularity(ctx)
	if err != nil {
		return err
	}
	s.pop = pop
	items := map[int64]*tongban.Item{}
	seen := map[int64]bool{}
	var batch []Doc
	f := tongban.ListingFilter{Status: tongban.ListingPublished, Limit: pageSize, ByID: true}
	for {
		ls, err := s.Store.Listings(ctx, f)
		if err != nil {
			return err
		}
		if len(ls) > 0 {
			f.AfterID = ls[len(ls)-1].ID
		}
		for _, l := range ls {
			seen[l.ID] = true
			st := docState{version: l.Version, pop: pop[l.ID]}
			if old, ok := s.indexed[l.ID]; ok && old == st {
				continue
			}
			it, err := s.item(ctx, items, l.ItemID)
			if err != nil {
				return err
			}
			batch = append(batch, DocOf(l, it, st.pop))
			s.indexed[l.ID] = st
		}
		if len(batch) >= pageSize {
			s.Index.Upsert(batch...)
			batch = batch[:0]
		}
		if len(ls) < pageSize {
			break
		}
	}
	s.Index.Upsert(batch...)
	var gone []int64
	for id := range s.indexed {
		if !seen[id] {
			gone = append(gone, id)
			delete(s.indexed, id)
		}
	}
	s.Index.Delete(gone...)
	s.Index.Regroup() // once per rebuild: a full load is one region after another
	for id, it := range items {
		s.items[id] = it.UpdatedAt
	}
	s.listMark, s.itemMark = listMark, itemMark
	s.listLooked, s.itemLooked = looked, looked
	s.bundlesSet = false
	if err := s.pollBundles(ctx); err != nil {
		return err
	}
	return s.loadSynonyms(ctx)
}

// Poll applies the catalog changes since the last Rebuild or Poll: listings
// published or edited are (re)indexed, listings no longer published are
// removed, listings of an edited item are reindexed, and new synonyms are
// installed.
func (s *Syncer) Poll(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if err := s.pollListings(ctx); err != nil {
		return err
	}
	if err := s.pollItems(ctx); err != nil {
		return err
	}
	if err := s.pollBundles(ctx); err != nil {
		return err
	}
	return s.loadSynonyms(ctx)
}

// pollBundles reloads the published bundles (一件事) when any bundle was
// saved since the last look. They are few, so all are read again.
func (s *Syncer) pollBundles(ctx context.Context) error {
	mark, err := s.maxUpdated(ctx, "bundles")
	if err != nil {
		return err
	}
	if s.bundlesSet && mark.Equal(s.bundleMark) {
		return nil
	}
	bs, err := s.Store.Bundles(ctx, tongban.BundleFilter{Status: tongban.BundlePublished})
	if err != nil {
		return err
	}
	s.Index.SetBundles(bs)
	s.bundleMark, s.bundlesSet = mark, true
	return nil
}

type changedRow struct {
	id, itemID int64
	version    int
	status     tongban.ListingStatus
}

// listingChangesQuery reads the listings stamped since a time. After an
// import, every poll for pollOverlap reads every listing imported again, so
// the index listings_changes holds each column it reads (migration 00065),
// and the stamps are not read row by row (pollListings reads the newest
// one alone): parsing 100,000 of them was a third of such a poll.
const listingChangesQuery = `SELECT id, item_id, version, status FROM listings WHERE updated_at > $1`

func (s *Syncer) pollListings(ctx context.Context) error {
	looked := s.now()
	// The newest stamp, read before the rows, as the next look's mark: a
	// row committed by then is among the rows (changed since, it has a
	// newer stamp), one stamped beyond it is read again next time, and one
	// stamped earlier that commits later is the overlap's, as before.
	mark, err := s.maxUpdated(ctx, "listings")
	if err != nil {
		return err
	}
	if mark.Before(s.listMark) {
		mark = s.listMark
	}
	rows, err := s.DB.QueryContext(ctx, listingChangesQuery, utc(since(s.listMark, s.listLooked)))
	if err != nil {
		return tongban.Wrap(tongban.EUnavailable, err, "读取清单变动失败")
	}
	var changed []changedRow
	for rows.Next() {
		var c changedRow
		if err := rows.Scan(&c.id, &c.itemID, &c.version, &c.status); err != nil {
			rows.Close()
			return tongban.Wrap(tongban.EInternal, err, "读取清单变动失败")
		}
		changed = append(changed, c)
	}
	if err := rows.Close(); err != nil {
		return tongban.Wrap(tongban.EUnavailable, err, "读取清单变动失败")
	}
	items := map[int64]*tongban.Item{}
	var docs []Doc
	var gone []int64
	for _, c := range changed {
		old, indexed := s.indexed[c.id]
		switch {
		case c.status != tongban.ListingPublished:
			if indexed {
				gone = append(gone, c.id)
				delete(s.indexed, c.id)
			}
		case !indexed || old.version != c.version:
			l, err := s.Store.Listing(ctx, c.id)
			if tongban.IsCode(err, tongban.ENotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if l.Status != tongban.ListingPublished { // changed again since the query
				continue
			}
			it, err := s.item(ctx, items, l.ItemID)
			if err != nil {
				return err
			}
			st := docState{version: l.Version, pop: s.pop[l.ID]}
			docs = append(docs, DocOf(l, it, st.pop))
			s.indexed[l.ID] = st
		}
	}
	s.Index.Upsert(docs...)
	s.Index.Delete(gone...)
	s.listMark, s.listLooked, s.lastRead = mark, looked, len(changed)
	return nil
}

// pollItems reindexes the published listings of items edited since the last
// look: names, aliases, themes and audience live on the item.
func (s *Syncer) pollItems(ctx context.Context) error {
	looked := s.now()
	rows, err := s.DB.QueryContext(ctx, `SELECT id, updated_at FROM items WHERE updated_at > $1`,
		utc(since(s.itemMark, s.itemLooked)))
	if err != nil {
		return tongban.Wrap(tongban.EUnavailable, err, "读取事项变动失败")
	}
	changed := map[int64]time.Time{}
	mark := s.itemMark
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return tongban.Wrap(tongban.EInternal, err, "读取事项变动失败")
		}
		if seen, ok := s.items[id]; !ok || !seen.Equal(at) {
			changed[id] = at
		}
		if at.After(mark) {
			mark = at
		}
	}
	if err := rows.Close(); err != nil {
		return tongban.Wrap(tongban.EUnavailable, err, "读取事项变动失败")
	}
	for id, at := range changed {
		it, err := s.Store.Item(ctx, id)
		if err != nil {
			return err
		}
		f := tongban.ListingFilter{ItemID: id, Status: tongban.ListingPublished, Limit: pageSize}
		for f.Offset = 0; ; f.Offset += pageSize {
			ls, err := s.Store.Listings(ctx, f)
			if err != nil {
				return err
			}
			docs := make([]Doc, 0, len(ls))
			for _, l := range ls {
				st := docState{version: l.Version, pop: s.pop[l.ID]}
				docs = append(docs, DocOf(l, it, st.pop))
				s.indexed[l.ID] = st
			}
			s.Index.Upsert(docs...)
			if len(ls) < pageSize {
				break
			}
		}
		s.items[id] = at
	}
	s.itemMark, s.itemLooked = mark, looked
	return nil
}

func (s *Syncer) item(ctx context.Context, cache map[int64]*tongban.Item, id int64) (*tongban.Item, error) {
	if it, ok := cache[id]; ok {
		return it, nil
	}
	it, err := s.Store.Item(ctx, id)
	if err != nil {
		return nil, err
	}
	cache[id] = it
	s.items[id] = it.UpdatedAt
	return it, nil
}

// maxUpdated is the newest updated_at of a table (zero when empty).
func (s *Syncer) maxUpdated(ctx context.Context, table string) (time.Time, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT updated_at FROM `+table+` ORDER BY updated_at DESC LIMIT 1`)
	if err != nil {
		return time.Time{}, tongban.Wrap(tongban.EUnavailable, err, "读取%s失败", table)
	}
	defer rows.Close()
	var at time.Time
	if rows.Next() {
		if err := rows.Scan(&at); err != nil {
			return time.Time{}, tongban.Wrap(tongban.EInternal, err, "读取%s失败", table)
		}
	}
	return at, rows.Err()
}

// popularity counts each listing's applications of the last 90 days.
func (s *Syncer) popularity(ctx context.Context) (map[int64]int64, error) {
	now := s.now()
	rows, err := s.DB.QueryContext(ctx, `SELECT listing_id, COUNT(*) FROM cases WHERE created_at >= $1 GROUP BY listing_id`,
		utc(now.Add(-popularityWindow)))
	if err != nil {
		return nil, tongban.Wrap(tongban.EUnavailable, err, "统计办件量失败")
	}
	defer rows.Close()
	pop := map[int64]int64{}
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, tongban.Wrap(tongban.EInternal, err, "统计办件量失败")
		}
		pop[id] = n
	}
	return pop, rows.Err()
}

// Run polls until ctx ends, and reconciles every ReconcileEvery. Failures
// are logged once per streak (a database outage would otherwise log every
// three seconds) and retried on the next tick.
func (s *Syncer) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = PollEvery
	}
	s.mu.Lock()
	s.init()
	s.mu.Unlock()
	tick := time.NewTicker(every)
	defer tick.Stop()
	last := time.Now()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var err error
		if time.Since(last) >= ReconcileEvery {
			err = s.Rebuild(ctx)
			last = time.Now()
		} else {
			err = s.Poll(ctx)
		}
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			s.Log.Warn("搜索索引同步失败，稍后重试", "err", err)
			failing = true
		case err == nil && failing:
			s.Log.Info("搜索索引同步已恢复")
			failing = false
		}
	}
}

// Start rebuilds the index and keeps it following the catalog until the
// returned stop is called; stop waits for the loop to end.
func (s *Syncer) Start(ctx context.Context) (stop func(), err error) {
	if err := s.Rebuild(ctx); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(runCtx, PollEvery)
	}()
	return func() { cancel(); <-done }, nil
}

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
