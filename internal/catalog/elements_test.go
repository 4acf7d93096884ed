package catalog

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

func fields(errs []*tongban.Error) []string {
	var fs []string
	for _, e := range errs {
		fs = append(fs, e.Field)
	}
	return fs
}

func TestListingValidate(t *testing.T) {
	t.Parallel()
	l := sampleListing()
	if err := l.Validate(); err != nil {
		t.Fatalf("sample must be valid: %v", err)
	}
	l.PromisedDays = -1
	l.Steps[2].Name = ""
	l.Steps[0].OtherActor = true
	l.Materials[1].Copies = -2
	l.Materials[3].Key = "m1"
	l.Situations[1].Answers[0].Effects[1].Condition = ""
	l.Status = "open"
	l.RegionCode = "5116"
	want := []string{"region_code", "status", "promised_days", "steps[0].other_actor", "steps[2].name", "materials[1].copies",
		"materials[3].key", "situations[1].answers[0].effects[1].condition"}
	if got := fields(l.Problems()); !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	err := l.Validate()
	if tongban.ErrorCodeOf(err) != tongban.EInvalid || tongban.AsError(err).Field != "region_code" {
		t.Fatalf("Validate returns the first problem: %v", err)
	}
}

func TestItemValidate(t *testing.T) {
	t.Parallel()
	it := sampleItem()
	if err := it.Validate(); err != nil {
		t.Fatal(err)
	}
	it.Code, it.Type, it.StatutoryDays = "", "许可", -1
	it.Levels = append(it.Levels, "galaxy")
	it.Aliases = []string{""}
	want := []string{"code", "type", "levels[2]", "statutory_days", "aliases[0]"}
	if got := fields(it.Problems()); !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
}

func TestMaterialAndSituationValidate(t *testing.T) {
	t.Parallel()
	m := tongban.Material{Key: "a|b", Required: "sometimes", Form: "fax"}
	if got := fields(m.Problems()); !reflect.DeepEqual(got, []string{"key", "name", "required", "form"}) {
		t.Fatalf("material fields %v", got)
	}
	s := tongban.Situation{Key: "s", Answers: []tongban.Answer{{Key: "a", Label: "是"}, {Key: "a", Label: ""}}}
	if got := fields(s.Problems()); !reflect.DeepEqual(got, []string{"question", "answers[1].key", "answers[1].label"}) {
		t.Fatalf("situation fields %v", got)
	}
}

func TestEnumsParseLabelsAndValues(t *testing.T) {
	t.Parallel()
	for _, label := range []string{"行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查",
		"行政确认", "行政奖励", "行政裁决", "其他行政权力", "公共服务"} {
		typ, ok := tongban.ParseItemType(label)
		if !ok || typ.Label() != label {
			t.Errorf("%s → %q %v", label, typ, ok)
		}
		if back, ok := tongban.ParseItemType(string(typ)); !ok || back != typ {
			t.Errorf("value %q does not parse", typ)
		}
	}
	if d, ok := tongban.ParseOnlineDepth("网上申请+现场核验"); !ok || d != tongban.DepthOnlineVerify {
		t.Error("online depth")
	}
	if _, ok := tongban.ParseItemType("许可"); ok {
		t.Error("an unknown label must not parse")
	}
}

func TestListingVersionIsASnapshot(t *testing.T) {
	t.Parallel()
	l := sampleListing()
	l.ID = 42
	v := tongban.NewListingVersion(l, 5, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), "承诺时限压缩")
	l.Materials[0].Name = "changed"
	l.Situations[2].DependsOn.Answer = "changed"
	l.Situations[0].Answers[1].Effects[0].MaterialKey = "changed"
	if v.ListingID != 42 || v.Version != 2 || v.Listing.Materials[0].Name == "changed" ||
		v.Listing.Situations[2].DependsOn.Answer == "changed" || v.Listing.Situations[0].Answers[1].Effects[0].MaterialKey == "changed" {
		t.Fatalf("snapshot shares memory with the listing: %+v", v.Listing)
	}
	// It stores as JSON and comes back equal.
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back tongban.ListingVersion
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, v) {
		t.Fatalf("JSON round trip: %v\n%+v\n%+v", err, back, v)
	}
}
