package stats

import (
	"io"
	"math"

	"github.com/tongban/tongban"
	"github.com/xuri/excelize/v2"
)

// WriteScoreXLSX writes the 成绩单 as a workbook: the departments and the
// districts each on a sheet with the same columns as the page (rates in
// percent, one decimal; "—" without a denominator), and the period,
// weighting and formula on a third.
func WriteScoreXLSX(w io.Writer, sc *Scorecard) error {
	f := excelize.NewFile()
	defer f.Close()
	fail := func(err error) error { return tongban.Wrap(tongban.EInternal, err, "写入xlsx失败") }
	if err := f.SetSheetName("Sheet1", "部门"); err != nil {
		return fail(err)
	}
	if _, err := f.NewSheet("区县"); err != nil {
		return fail(err)
	}
	if _, err := f.NewSheet("说明"); err != nil {
		return fail(err)
	}
	header := []any{"名次", "名称"}
	for _, m := range ScoreMeasures {
		header = append(header, m.Label()+"（%）")
	}
	header = append(header, "计入权重", "得分")
	for sheet, rows := range map[string][]ScoreRow{"部门": sc.Departments, "区县": sc.Districts} {
		if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
			return fail(err)
		}
		for i, r := range rows {
			row := []any{"", r.Name}
			if r.Rank > 0 {
				row[0] = r.Rank
			}
			for _, m := range ScoreMeasures {
				if v := r.Rates.Of(m); v != nil {
					row = append(row, math.Round(*v*1000)/10)
				} else {
					row = append(row, "—")
				}
			}
			row = append(row, r.Weighed)
			if r.Score != nil {
				row = append(row, *r.Score)
			} else {
				row = append(row, "—")
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				return fail(err)
			}
		}
	}
	about := [][]any{{"统计期间", sc.From + " 至 " + sc.To}, {"权重", sc.Weights.String()}, {"计分公式", sc.Formula},
		{"说明", ScoreNote}}
	if sc.Region != "" {
		about = append(about, []any{"行政区划", sc.Region})
	}
	for i, row := range about {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("说明", cell, &row); err != nil {
			return fail(err)
		}
	}
	if err := f.Write(w); err != nil {
		return fail(err)
	}
	return nil
}

// ScoreNote explains what the score stands on, beside the formula.
const ScoreNote = "各项比率为计数之比（区县为其所属部门计数之和，不是比率的平均）；某项在期间内无分母（如无办结、无评价）时不计入得分，其权重也不计入分母，“计入权重”列出得分所依据的权重。按时办结率、一窗受理率按办件事件，好评率、整改按时率按期间内作出的评价，网上可办率按当前已发布的实施清单。"
