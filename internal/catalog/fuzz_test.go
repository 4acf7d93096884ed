package catalog

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// FuzzImportCSV: Import never panics, and a file it accepts is a valid
// batch whose listings all point at an item of the batch.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("事项名称,实施编码,实施部门\n公证,X1-1,甲\n"))
	f.Add([]byte("\ufeffdepartment,main_item,item_name,implementation_code,item_type,region_code\n" +
		"区教科体局,,学生资助政策咨询,512C0053300008-511602000000-000-115113010833722043-1-00,公共服务,511602000000\n"))
	f.Add([]byte("事项名称,实施编码,实施部门,申请材料,情形\nA,B,C,\"m1|x|依情形\",\"s1|问?|a|是|增加:m1;条件:a\\;b|s0=a\"\n"))
	var buf bytes.Buffer
	if err := Export(&buf, FormatCSV, nil, nil); err == nil {
		f.Add(buf.Bytes())
	}
	if raw, err := os.ReadFile("../../../shared/data/guangan-district-items.csv"); err == nil {
		f.Add(raw[:min(len(raw), 4000)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Import(bytes.NewReader(data), FormatCSV, nil)
		if err != nil {
			if len(b.Items)+len(b.Listings) != 0 {
				t.Fatal("partial batch with an error")
			}
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("empty error")
			}
			return
		}
		items := map[string]bool{}
		for _, it := range b.Items {
			if err := it.Validate(); err != nil {
				t.Fatalf("invalid item accepted: %v", err)
			}
			items[it.Code] = true
		}
		if len(b.Listings) == 0 || len(b.Rows) != len(b.Listings) {
			t.Fatal("an accepted file has listings, each with its row")
		}
		for _, l := range b.Listings {
			if err := l.Validate(); err != nil {
				t.Fatalf("invalid listing accepted: %v", err)
			}
			if !items[l.ItemCode] {
				t.Fatalf("listing %s points at a missing item %s", l.Code, l.ItemCode)
			}
		}
	})
}
