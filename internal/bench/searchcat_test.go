package bench

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

func TestWriteScaledCatalog(t *testing.T) {
	seed := []SeedItem{{"居民身份证换领", "行政确认"}, {"食品经营许可", "行政许可"}, {"社会保障卡补领", "?"}, {"居民身份证换领", "公共服务"}}
	var b bytes.Buffer
	regions, err := WriteScaledCatalog(&b, 2000, seed)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2001 || len(recs[0]) != len(catalogHeader) {
		t.Fatalf("%d rows of %d columns", len(recs), len(recs[0]))
	}
	codes, items := map[string]bool{}, map[string]string{}
	for _, r := range recs[1:] {
		if codes[r[9]] {
			t.Errorf("listing code %s twice", r[9])
		}
		codes[r[9]] = true
		if prev, ok := items[r[0]]; ok && prev != strings.Join(r[:9], "|") {
			t.Errorf("item %s differs between rows: %s vs %s", r[0], prev, strings.Join(r[:9], "|"))
		}
		items[r[0]] = strings.Join(r[:9], "|")
		if strings.Contains(r[28], "|其他依法") {
			t.Errorf("catch-all material in %q", r[28])
		}
	}
	if len(items) != 3 {
		t.Errorf("%d items, want 3", len(items))
	}
	seen := map[string]bool{"510000000000": true}
	for _, r := range regions {
		parent := r.Code[:4] + "00000000"
		if strings.HasSuffix(r.Code, "00000000") {
			parent = "510000000000"
		} else if !strings.HasSuffix(r.Code, "000000") {
			parent = r.Code[:6] + "000000"
		}
		if !seen[parent] {
			t.Errorf("region %s %s before its parent %s", r.Code, r.Name, parent)
		}
		if r.Name == "" || strings.HasSuffix(r.Name, "局") || strings.HasSuffix(r.Name, "中心") {
			t.Errorf("region %s named %q", r.Code, r.Name)
		}
		seen[r.Code] = true
	}
	if !slices.Contains(regions, ScaledRegion{"511600000000", "广安市"}) || !slices.Contains(regions, ScaledRegion{"511602000000", "广安区"}) {
		t.Errorf("regions %+v lack 广安市 or 广安区", regions)
	}
}
