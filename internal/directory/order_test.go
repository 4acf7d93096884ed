package directory_test

import (
	"slices"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/directory"
)

// TestSortOrgs: the city's bureaus before the districts', each level by
// name in pinyin order — not by character code, which puts 广 (U+5E7F)
// after 前 (U+524D) and 公 (U+516C) before 交 (U+4EA4) only by accident.
func TestSortOrgs(t *testing.T) {
	orgs := []*tongban.Org{
		{Name: "岳池县市场监督管理局", RegionCode: "511621000000"},
		{Name: "广安市市场监督管理局", RegionCode: "511600000000"},
		{Name: "前锋区市场监督管理局", RegionCode: "511603000000"},
		{Name: "广安市交通运输局", RegionCode: "511600000000"},
		{Name: "广安区市场监督管理局", RegionCode: "511602000000"},
		{Name: "广安市公安局", RegionCode: "511600000000"},
		{Name: "广安市住房公积金管理中心", RegionCode: "511600000000"},
		{Name: "武胜县民政局", RegionCode: "511622000000"},
		{Name: "协兴镇人民政府", RegionCode: "511602100000"},
		{Name: "四川省大数据中心", RegionCode: "510000000000"},
	}
	directory.SortOrgs(orgs)
	var got []string
	for _, o := range orgs {
		got = append(got, o.Name)
	}
	want := []string{"四川省大数据中心",
		"广安市公安局", "广安市交通运输局", "广安市市场监督管理局", "广安市住房公积金管理中心",
		"广安区市场监督管理局", "前锋区市场监督管理局", "武胜县民政局", "岳池县市场监督管理局",
		"协兴镇人民政府"}
	if !slices.Equal(got, want) {
		t.Errorf("order:\n got  %v\n want %v", got, want)
	}
}
