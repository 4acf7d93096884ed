package search

import "testing"

// TestBodyMemoChangesNothing: remembering, per query, whether a text holds
// a part of an alternative (body_memo.go) must give exactly what looking
// in every candidate's texts gives. The queries are of words of materials
// no name holds, two parts each, so that one text holds one part and not
// the other.
func TestBodyMemoChangesNothing(t *testing.T) {
	ix := New()
	ix.Upsert(ScaledCatalog(20_000, guanganNames(t))...)
	ix.Regroup()
	for _, text := range []string{"病历资料 施工合同", "授权委托书 结婚证", "户口簿 学历证明", "股东会决议 村民委员会意见", "近期免冠证件照 银行账户信息"} {
		for _, near := range []string{"", "511602101000", "510107000000"} {
			compareMemo(t, "scaled", ix, Query{Text: text, UserRegion: near, Limit: MaxLimit})
		}
	}
}
