package store

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/jsontext"
)

// sameAsEncodingJSON checks one column's reader against encoding/json on
// text: where the reader takes the text, encoding/json must too and read
// the same value. It reports whether the reader took it.
func sameAsEncodingJSON[T any](t *testing.T, text string, read func(*jsontext.Reader) (T, bool)) bool {
	t.Helper()
	got, ok := read(jsontext.NewReader(text))
	var want T
	err := json.Unmarshal([]byte(text), &want)
	if ok && err != nil {
		t.Fatalf("%q: read as %#v, but encoding/json refuses it: %v", text, got, err)
	}
	if ok && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\nread          %#v\nencoding/json %#v", text, got, want)
	}
	return ok
}

// checkAllReaders runs sameAsEncodingJSON for every column's reader.
func checkAllReaders(t *testing.T, text string) {
	t.Helper()
	sameAsEncodingJSON(t, text, readMaterials)
	sameAsEncodingJSON(t, text, readDeficiencies)
	sameAsEncodingJSON(t, text, readStrings)
	sameAsEncodingJSON(t, text, readFacts)
}

// FuzzStoredJSONReadAsEncodingJSON: whatever text a column's reader takes,
// encoding/json reads the same; what it does not take, decodeJSON hands to
// encoding/json, so a case never reads back differently for the reader.
func FuzzStoredJSONReadAsEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`[{"key":"license","name":"营业执照","status":"e_license","ref":{"kind":"e_license","id":"91510100MA6C1234X5","version":2,"note":"来自电子证照库","file":"abc"},"confirmed":true}]`,
		`[{"key":"id","name":"身份证","blob_hash":"3f2a","status":"provided"}]`, `[]`, `null`, ` []`, `[ ]`, `[,]`, `[{},]`,
		`[{"key":"a","name":"b","reason":"c"}]`, `["a","b\u003c\"\\\/\b\f\n\r\t\ud83d\ude00\ud800x"]`, `["\x01"]`, `["\xff"]`,
		`{"region":"511602","org":12,"listing":-7,"channel":"online","at_window":true,"materials_asked":3,"materials_spared":2,"spared_license":1,"spared_library":0,"spared_shared":1,"visits":1,"due_date":"2026-12-01","decided_at":"2026-12-01T08:00:00.5+08:00"}`,
		`{"org":01}`, `{"org":1.0}`, `{"org":1e3}`, `{"org":-}`, `{"org":9223372036854775808}`, `{"org":-0}`, `{"ORG":1}`,
		`{"decided_at":"2026-13-01T00:00:00Z"}`, `{"decided_at":null}`, `{"region":"a","region":"b"}`, `{"visits":true}`,
		`[{"ref":null}]`, `[{"confirmed":tru}]`, `[{"key":"a"}]x`, `["a"`, `["\u12"]`, `["\q"]`, `{"a":1}`, `{"region":"x",}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkAllReaders(t, text)
	})
}

// TestStoredJSONReadWhole: every column as the store writes it (jsonText
// and factsText of random values, with escapes, HTML characters, bytes that are not
// UTF-8, U+2028 and extreme numbers) is taken by its reader, not handed
// on, and read as encoding/json reads it.
func TestStoredJSONReadWhole(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	pieces := []string{"", "营业执照", "a\"b", `c\d`, "<&>", "\u2028\u2029", "\x00\t\n", "\xff\xfe", "😀", "\xed\xa0\x80", "/"}
	text := func() string {
		s := ""
		for range rnd.IntN(4) {
			s += pieces[rnd.IntN(len(pieces))]
		}
		return s
	}
	num := func() int64 {
		return []int64{0, 1, -1, 42, math.MaxInt64, math.MinInt64, rnd.Int64()}[rnd.IntN(7)]
	}
	check := func(stored string, read func(string) bool) {
		if !read(stored) {
			t.Fatalf("%s, as the store writes it, was handed to encoding/json", stored)
		}
	}
	for range 3000 {
		var ms []tongban.CaseMaterial
		for range rnd.IntN(4) {
			m := tongban.CaseMaterial{Key: text(), Name: text(), BlobHash: text(), Status: tongban.MaterialStatus(text()),
				Confirmed: rnd.IntN(2) == 0, Claim: "never stored", Consent: true}
			if rnd.IntN(2) == 0 {
				m.Ref = &tongban.MaterialRef{Kind: tongban.MaterialRefKind(text()), ID: text(), Version: int(num()), Note: text(), File: text()}
			}
			ms = append(ms, m)
		}
		check(jsonText(ms), func(s string) bool { return sameAsEncodingJSON(t, s, readMaterials) })
		var ds []tongban.Deficiency
		for range rnd.IntN(3) {
			ds = append(ds, tongban.Deficiency{Key: text(), Name: text(), Reason: text()})
		}
		check(jsonText(ds), func(s string) bool { return sameAsEncodingJSON(t, s, readDeficiencies) })
		var ss []string
		for range rnd.IntN(3) {
			ss = append(ss, text())
		}
		check(jsonText(ss), func(s string) bool { return sameAsEncodingJSON(t, s, readStrings) })
		f := tongban.EventFacts{RegionCode: text(), OrgID: num(), ListingID: num(), Channel: tongban.Channel(text()),
			AtWindow: rnd.IntN(2) == 0, MaterialsAsked: int(num()), MaterialsSpared: int(num()), SparedByLicense: rnd.IntN(3),
			SparedByLibrary: rnd.IntN(3), SparedByShared: rnd.IntN(3), Visits: rnd.IntN(3), DueDate: text()}
		if rnd.IntN(2) == 0 {
			f.DecidedAt = time.Unix(rnd.Int64N(1<<34)-1<<33, rnd.Int64N(1e9)).In(time.FixedZone("", 3600*(rnd.IntN(27)-12)))
		}
		facts, err := factsText(&f)
		if err != nil {
			t.Fatal(err)
		}
		check(facts.(string), func(s string) bool { return sameAsEncodingJSON(t, s, readFacts) })
	}
}

// TestStoredJSONHandedOn: a text the readers do not take is still read,
// by encoding/json, and a broken one is still refused.
func TestStoredJSONHandedOn(t *testing.T) {
	var ms []tongban.CaseMaterial
	if err := decodeJSON(` [ {"KEY":"a", "ref":null} ] `, &ms, readMaterials); err != nil || len(ms) != 1 || ms[0].Key != "a" || ms[0].Ref != nil {
		t.Fatalf("got %#v, %v; want one material keyed a, read by encoding/json", ms, err)
	}
	var f tongban.EventFacts
	if err := decodeJSON(`{"org":12,"spare":1}`, &f, readFacts); err != nil || f.OrgID != 12 {
		t.Fatalf("got %#v, %v; want org 12, the unknown key ignored", f, err)
	}
	if err := decodeJSON(`[{"key":"a"`, &ms, readMaterials); err == nil {
		t.Fatal("a cut-off text was read")
	}
	if err := decodeJSON(`{"org":1.5}`, &f, readFacts); err == nil {
		t.Fatal("a fraction was read into an integer")
	}
}

// BenchmarkStoredJSON decodes the JSON columns of a case as submitted by
// reference (five materials, one an e-licence) and of its submission event,
// by the readers and by encoding/json: the cost a case-status read saves.
func BenchmarkStoredJSON(b *testing.B) {
	materials := jsonText([]tongban.CaseMaterial{
		{Key: "id_card", Name: "居民身份证", Status: tongban.MaterialProvided, BlobHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		{Key: "business_license", Name: "营业执照", Status: "e_license",
			Ref: &tongban.MaterialRef{Kind: "e_license", ID: "1151160000800000XU-0001", Version: 1, Note: "来自电子证照库"}},
		{Key: "lease", Name: "经营场所使用证明", Status: tongban.MaterialCommitment},
		{Key: "layout", Name: "食品经营场所平面布局图", Status: tongban.MaterialProvided, BlobHash: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"},
		{Key: "health", Name: "从业人员健康证明", Status: tongban.MaterialOwed},
	})
	facts, _ := factsText(&tongban.EventFacts{RegionCode: "511602", OrgID: 12, ListingID: 4711, Channel: "online",
		MaterialsAsked: 5, MaterialsSpared: 2, SparedByLicense: 1})
	keys := jsonText([]string{"id_card", "business_license"})
	for _, d := range []struct {
		name   string
		decode func() error
	}{
		{"readers", func() error {
			var ms []tongban.CaseMaterial
			var ds []tongban.Deficiency
			var rs, ks []string
			var f tongban.EventFacts
			return errors.Join(decodeJSON(materials, &ms, readMaterials), decodeJSON("[]", &ds, readDeficiencies),
				decodeJSON("[]", &rs, readStrings), decodeJSON(keys, &ks, readStrings), decodeJSON(facts.(string), &f, readFacts))
		}},
		{"encoding/json", func() error {
			var ms []tongban.CaseMaterial
			var ds []tongban.Deficiency
			var rs, ks []string
			var f tongban.EventFacts
			return errors.Join(json.Unmarshal([]byte(materials), &ms), json.Unmarshal([]byte("[]"), &ds),
				json.Unmarshal([]byte("[]"), &rs), json.Unmarshal([]byte(keys), &ks), json.Unmarshal([]byte(facts.(string)), &f))
		}},
	} {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := d.decode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
