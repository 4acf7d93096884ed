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
// the initials); the first pass marks per doc which query tokens matched in
// which field (a 64-bit mask per field), keeps docs that cover enough of
// some alternative's idf-weighted tokens and scores them BM25-style; the
// second pass ranks the best hundred exactly by approximate phrase match
// (Sellers' edit-distance search), region and popularity.
//
// Why not bleve: its CJK analyzer gives bigrams only, so one wrong character
// in a four-character query leaves one bigram of three and the right item
// drops out; pinyin would need extra analyzers per field plus query
// rewriting in front of it; and "name phrase ≫ name terms ≫ alias ≫ body,
// then region, then popularity" has to be bent out of its scorer. Measured on
// the same 100,000-doc catalog on two cores (BenchmarkBleve100k, build tag
// blevecmp; NewMemOnly, batches of 1,000, default settings), bleve answered
// only the plain Chinese queries of the mix with p50 27 ms and p99 263 ms,
// took 369 s to build and held 1.9 GiB; this index answers the full mix
// (pinyin, typos, synonyms, filters) with p50 ≈ 1.3 ms and p99 ≈ 6 ms, builds
// in about 2 s and holds about 85 MiB (BenchmarkSearch100k).
//
// # Concurrency
//
// Searches share a read lock; writers take the write lock in chunks of 256
// docs, so a full rebuild never stalls searches for long. An update appends a
// new ordinal and kills the old one; dead ordinals are dropped in bulk once
// they are a quarter of the index. Synonyms are swapped atomically.
package search
