package catalog

import (
	"testing"

	"github.com/tongban/tongban"
)

func TestCompareIdenticalHasNoDifferences(t *testing.T) {
	std := sampleListing()
	same := sampleListing()
	same.Code, same.OrgName, same.RegionCode = "X-1", "前锋区行政审批局", "511603000000"
	same.Name = "食品经营许可 (新办)"    // half-width brackets and a space mean the same
	same.Materials[0].Key = "z9" // keys are local to a listing
	if d := Compare(std, []tongban.Listing{same}); len(d) != 0 {
		t.Fatalf("want no differences, got %+v", d)
	}
}

func TestCompareFindsEachAspect(t *testing.T) {
	std := sampleListing()
	d := sampleListing()
	d.Code, d.OrgName = "D-2", "岳池县行政审批局"
	d.Name = "食品经营许可证核发"
	d.PromisedDays = 15
	d.Conditions = []string{d.Conditions[0], "申请人无不良信用记录"}
	d.Materials = append(d.Materials[:1:1], d.Materials[2:]...) // drop 营业执照
	d.Materials[0].Copies = 2
	d.Materials[1].Form = tongban.FormCopy
	d.Materials = append(d.Materials, tongban.Material{Key: "m9", Name: "房屋租赁合同", Required: tongban.MaterialRequired})
	d.Steps = d.Steps[:3]
	d.Steps[1].Days = 8

	ok := sampleListing()
	ok.Code = "D-3"
	other := sampleListing()
	other.ItemCode = "511A9999"
	diffs := Compare(std, []tongban.Listing{ok, d, other})

	want := map[string]bool{
		"name": false, "promised_days": false, "conditions-": false, "conditions+": false,
		"materials[营业执照]-": false, "materials[食品经营许可申请书].copies": false,
		"materials[授权委托书].form": false, "materials[房屋租赁合同]+": false, "steps": false, "steps[1]": false,
	}
	items := 0
	for _, x := range diffs {
		if x.Index == 0 {
			t.Fatalf("identical listing reported: %+v", x)
		}
		if x.Index == 2 {
			if x.Aspect != AspectItem {
				t.Fatalf("another item's listing: %+v", x)
			}
			items++
			continue
		}
		if x.Listing != "D-2" || x.OrgName != "岳池县行政审批局" || x.Message == "" {
			t.Fatalf("difference must name the listing: %+v", x)
		}
		key := x.Field
		switch {
		case x.Standard == "" && (x.Aspect == AspectConditions || x.Aspect == AspectMaterials):
			key += "+"
		case x.Actual == "" && (x.Aspect == AspectConditions || x.Aspect == AspectMaterials):
			key += "-"
		}
		if _, ok := want[key]; !ok {
			t.Fatalf("unexpected difference %q: %+v", key, x)
		}
		want[key] = true
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("missing difference %s in %+v", k, diffs)
		}
	}
	if items != 1 {
		t.Errorf("want one item mismatch, got %d", items)
	}
}
