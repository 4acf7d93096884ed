package catalog

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/tongban/tongban"
	"github.com/xuri/excelize/v2"
)

// Formats Import and Export understand.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// SheetName is the sheet export writes and import prefers.
const SheetName = "事项清单"

// MaxImportRows bounds a file so a runaway sheet cannot exhaust memory.
const MaxImportRows = 200000

// readTable returns a file's rows; rows[i] is spreadsheet row i+1.
func readTable(r io.Reader, format string) ([][]string, error) {
	switch format {
	case FormatCSV:
		return readCSV(r)
	case FormatXLSX:
		return readXLSX(r)
	}
	return nil, tongban.FieldError("format", "不支持的文件格式“%s”，应为 xlsx 或 csv", format)
}

func readCSV(r io.Reader) ([][]string, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // short rows are fine: missing cells are empty
	var rows [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, rowErrors(RowError{Row: len(rows) + 1, Message: fmt.Sprintf("CSV格式错误（第%d行第%d列）：%v", pe.Line, pe.Column, pe.Err)})
			}
			return nil, tongban.Wrap(tongban.EInvalid, err, "无法读取CSV文件")
		}
		if len(rows) > MaxImportRows {
			return nil, tongban.Errorf(tongban.EInvalid, "文件超过%d行，请分批导入", MaxImportRows)
		}
		rows = append(rows, rec)
	}
}

func readXLSX(r io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true, UnzipSizeLimit: 1 << 30})
	if err != nil {
		return nil, tongban.Wrap(tongban.EInvalid, err, "无法读取xlsx文件，请确认文件为Excel工作簿")
	}
	defer f.Close()
	sheet := SheetName
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, tongban.Errorf(tongban.EInvalid, "工作簿中没有工作表")
		}
		sheet = sheets[0]
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, tongban.Wrap(tongban.EInvalid, err, "无法读取工作表“%s”", sheet)
	}
	if len(rows) > MaxImportRows {
		return nil, tongban.Errorf(tongban.EInvalid, "文件超过%d行，请分批导入", MaxImportRows)
	}
	return rows, nil
}

// writeTable writes rows (the first is the header) in the format.
func writeTable(w io.Writer, format string, rows [][]string) error {
	switch format {
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(rows); err != nil {
			return tongban.Wrap(tongban.EInternal, err, "写入CSV失败")
		}
		return nil
	case FormatXLSX:
		return writeXLSX(w, rows)
	}
	return tongban.FieldError("format", "不支持的文件格式“%s”，应为 xlsx 或 csv", format)
}

func writeXLSX(w io.Writer, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return tongban.Wrap(tongban.EInternal, err, "写入xlsx失败")
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return tongban.Wrap(tongban.EInternal, err, "写入xlsx失败")
	}
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return tongban.Wrap(tongban.EInternal, err, "写入xlsx失败")
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		style := wrap
		if i == 0 {
			style = bold
		}
		for j, v := range row {
			// Cells are strings: codes such as 511602000000 must not become numbers.
			cells[j] = excelize.Cell{StyleID: style, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return tongban.Wrap(tongban.EInternal, err, "写入xlsx失败")
		}
	}
	if err := sw.Flush(); err != nil {
		return tongban.Wrap(tongban.EInternal, err, "写入xlsx失败")
	}
	if err := f.Write(w); err != nil {
		return tongban.Wrap(tongban.EInternal, err, "写入xlsx失败")
	}
	return nil
}
