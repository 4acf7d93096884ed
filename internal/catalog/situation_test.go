package catalog

import (
	"slices"
	"testing"

	"github.com/tongban/tongban"
)

func keysOf(ms []tongban.Material) []string {
	var ks []string
	for _, m := range ms {
		ks = append(ks, m.Key)
	}
	return ks
}

func TestTailor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		answers    map[string]string
		materials  []string
		conditions int
	}{
		{"in person, domestic", map[string]string{"s1": "a1", "s2": "a2"}, []string{"m1", "m2"}, 2},
		{"by proxy, domestic", map[string]string{"s1": "a2", "s2": "a2"}, []string{"m1", "m2", "m3"}, 2},
		{"answer by label", map[string]string{"s1": "否，委托他人", "s2": "否"}, []string{"m1", "m2", "m3"}, 2},
		{"foreign, minority", map[string]string{"s1": "a1", "s2": "a1", "s3": "a2"}, []string{"m1", "m2", "m4"}, 3},
		{"foreign, majority: m5 replaces m4", map[string]string{"s1": "a1", "s2": "a1", "s3": "a1"}, []string{"m1", "m2", "m5"}, 3},
		{"hidden question's answer is ignored", map[string]string{"s1": "a1", "s2": "a2", "s3": "a1"}, []string{"m1", "m2"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ms, conds, err := Tailor(sampleListing(), tc.answers)
			if err != nil {
				t.Fatal(err)
			}
			if got := keysOf(ms); !slices.Equal(got, tc.materials) {
				t.Fatalf("materials %v, want %v", got, tc.materials)
			}
			if len(conds) != tc.conditions {
				t.Fatalf("conditions %v, want %d", conds, tc.conditions)
			}
			for _, m := range ms {
				if m.Required != tongban.MaterialRequired {
					t.Errorf("%s: a tailored material is required for this applicant, got %s", m.Key, m.Required)
				}
			}
		})
	}
}

func TestTailorDoesNotTouchListing(t *testing.T) {
	t.Parallel()
	l := sampleListing()
	ms, conds, err := Tailor(l, map[string]string{"s1": "a2", "s2": "a1", "s3": "a1"})
	if err != nil {
		t.Fatal(err)
	}
	ms[0].Name = "changed"
	conds[0] = "changed"
	if l.Materials[0].Name == "changed" || l.Conditions[0] == "changed" {
		t.Fatal("Tailor must return copies")
	}
	if l.Materials[2].Required != tongban.MaterialConditional {
		t.Fatal("the listing's conditional material must stay conditional")
	}
}

func TestTailorInlineMaterialAndRemove(t *testing.T) {
	t.Parallel()
	l := sampleListing()
	l.Situations = []tongban.Situation{{Key: "q", Question: "是否已有电子营业执照？", Answers: []tongban.Answer{
		{Key: "y", Label: "是", Effects: []tongban.Effect{{Op: tongban.EffectRemove, MaterialKey: "m2"}}},
		{Key: "n", Label: "否", Effects: []tongban.Effect{{Op: tongban.EffectReplace, MaterialKey: "m2",
			Material: &tongban.Material{Key: "p", Name: "纸质营业执照", Required: tongban.MaterialRequired, ReviewCriteria: "原件"}}}},
	}}}
	ms, _, err := Tailor(l, map[string]string{"q": "y"})
	if err != nil || !slices.Equal(keysOf(ms), []string{"m1"}) {
		t.Fatalf("remove: %v %v", keysOf(ms), err)
	}
	ms, _, err = Tailor(l, map[string]string{"q": "n"})
	if err != nil || !slices.Equal(keysOf(ms), []string{"m1", "p"}) {
		t.Fatalf("replace inline: %v %v", keysOf(ms), err)
	}
}

func TestTailorErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		change  func(*tongban.Listing)
		answers map[string]string
		field   string
	}{
		{"unknown answer", nil, map[string]string{"s1": "maybe", "s2": "a2"}, "answers.s1"},
		{"unknown situation", nil, map[string]string{"s1": "a1", "s2": "a2", "zz": "a1"}, "answers.zz"},
		{"unanswered question", nil, map[string]string{"s1": "a1"}, "answers.s2"},
		{"unanswered follow-up", nil, map[string]string{"s1": "a1", "s2": "a1"}, "answers.s3"},
		{"dangling material", func(l *tongban.Listing) { l.Situations[0].Answers[1].Effects[0].MaterialKey = "m9" },
			map[string]string{"s1": "a1", "s2": "a2"}, "situations[0].answers[1].effects[0].material_key"},
		{"bad effect", func(l *tongban.Listing) { l.Situations[0].Answers[1].Effects[0].Op = "merge" },
			map[string]string{"s1": "a1", "s2": "a2"}, "situations[0].answers[1].effects[0].op"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := sampleListing()
			if tc.change != nil {
				tc.change(&l)
			}
			_, _, err := Tailor(l, tc.answers)
			e := tongban.AsError(err)
			if err == nil || e.Code != tongban.EInvalid || e.Field != tc.field || e.Message == "" {
				t.Fatalf("got %v, want field %s", err, tc.field)
			}
		})
	}
}

func TestTailorWithoutSituations(t *testing.T) {
	t.Parallel()
	l := sampleListing()
	l.Situations = nil
	ms, _, err := Tailor(l, nil)
	if err != nil || !slices.Equal(keysOf(ms), []string{"m1", "m2"}) {
		t.Fatalf("%v %v", keysOf(ms), err)
	}
}
