// Package search is the citizen's search over government service listings:
// Chinese full text, pinyin (full and initials), admin-maintained synonyms,
// tolerance of one wrong, missing or extra character, region-aware ranking,
// filters and browse lists, all in memory.
//
// # Engine
//
// A purpose-built inverted index, not bleve. Postings are sorted []int32
// ordinals in one map keyed by packed uint64 terms: Han unigrams and bigrams,
// ASCII words, pinyin syllable unigrams and bigrams, and pinyin-initials
// bigrams and trigrams (names and aliases only). A query is read as several
// alternatives (the text, its synonym rewrites, each pinyin segmentation,
// the initials, the phrase whose pinyin it is). The first pass walks the
// posting lists shortest first, marking per doc which query tokens matched in
// which field (a 64-bit mask per field); once no untouched doc can still
// qualify, the long lists are only intersected with the docs already
// touched (the longest of materials, FAQ and org names through bitmaps
// kept at compaction, read with each doc's mask only when it is read). A
// compaction lays the docs out by name group (the same item filed in ~88
// regions), and a list's entries that cover whole
// groups are walked as groups: names always, themes, org names and
// materials where whole groups hold the term; a group's copies are then
// counted as a range, and read one by one only where they have bits of
// their own or the top-k could still take them (group_*.go). A doc
// qualifies when it covers enough of some alternative's
// idf-weighted tokens (half, for Han text), and is scored BM25-style. The
// second pass ranks the requested page plus a margin of 100 exactly, by
// approximate phrase match (Sellers' edit-distance search), then the
// citizen's region, then score and popularity (see rank.go).
//
// Why not bleve: its CJK analyzer indexes bigrams only, so one-character
// queries, typo tolerance ("this is the name with one character wrong"),
// pinyin, synonyms and the ranking rules ("name phrase ≫ name terms ≫ alias
// ≫ body, then region, then popularity") would all have to be built around
// it anyway. And it was slower and larger: on the same 100,000-doc catalog on
// two cores (BenchmarkBleve100k, build tag blevecmp; NewMemOnly, batches of
// 1,000, default settings) bleve answered only the plain Chinese queries of
// the mix, with p50 27 ms and p99 263 ms, took 369 s to build and held
// 1.9 GiB. This index answers the full mix (pinyin, typos, synonyms,
// filters, browse) with p50 ≈ 1.2 ms and p99 ≈ 5 ms (thread CPU p99 ≈ 4 ms),
// builds in about 2 s and holds about 85 MiB (BenchmarkSearch100k).
//
// # Concurrency
//
// Searches share a read lock; writers take the write lock in chunks of 256
// docs, so a full rebuild never stalls searches for long. An update appends a
// new ordinal and kills the old one; dead ordinals are dropped in bulk once
// they are a quarter of the index. Synonyms are swapped atomically.
package search
