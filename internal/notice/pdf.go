package notice

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/png"
	"io"
	"os"
	"strings"

	"github.com/signintech/gopdf"
	qrcode "github.com/yeqown/go-qrcode/v2"
	"github.com/yeqown/go-qrcode/writer/standard"
)

// DefaultFont is Debian's fonts-arphic-gbsn00lp, a TrueType 宋体 (gopdf
// cannot read .ttc collections).
const DefaultFont = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"

// A4 layout, in points.
const (
	pageW, margin = 595.28, 64.0
	textW         = pageW - 2*margin
)

// PDF renders the notice on A4 with the font at fontPath.
func PDF(n Notice, fontPath string) ([]byte, error) {
	if _, err := os.Stat(fontPath); err != nil {
		return nil, fmt.Errorf("notice font %s: %w (install fonts-arphic-gbsn00lp)", fontPath, err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	if err := pdf.AddTTFFont("song", fontPath); err != nil {
		return nil, fmt.Errorf("load font: %w", err)
	}
	pdf.AddPage()
	w := &writer{pdf: pdf, y: 72}
	w.centered(n.Facts.OrgName, 16)
	w.centered(n.Title, 22)
	w.centered(n.Number, 11)
	w.y += 12
	w.para(n.Salutation, 13, 0)
	if len(n.Paragraphs) > 0 {
		w.para(n.Paragraphs[0], 13, 26)
	}
	for i, item := range n.Items {
		w.para(fmt.Sprintf("%d. %s", i+1, item), 13, 26)
	}
	for _, p := range n.Paragraphs[min(1, len(n.Paragraphs)):] {
		w.para(p, 13, 26)
	}
	w.y += 24
	w.right(n.Facts.OrgName, 13)
	w.right(cn(n.Facts.IssuedOn), 13)
	if n.SignLine != "" {
		w.y += 8
		w.para(n.SignLine, 12, 0)
	}
	if w.err != nil {
		return nil, w.err
	}
	if n.Facts.StatusURL != "" {
		img, err := qrImage(n.Facts.StatusURL)
		if err != nil {
			return nil, err
		}
		size := 88.0
		if err := pdf.ImageFrom(img, pageW-margin-size, w.y+12, &gopdf.Rect{W: size, H: size}); err != nil {
			return nil, err
		}
		// The rating QR (好差评, 二维码) sits at the left, as on the printable page.
		if n.Facts.RatingURL != "" {
			rimg, err := qrImage(n.Facts.RatingURL)
			if err != nil {
				return nil, err
			}
			if err := pdf.ImageFrom(rimg, margin, w.y+12, &gopdf.Rect{W: size, H: size}); err != nil {
				return nil, err
			}
		}
		w.y += size + 16
		if n.Facts.RatingURL != "" {
			w.left("扫码评价本次服务", 9)
		}
		w.right("扫码查询办理进度", 9)
	}
	return pdf.GetBytesPdf(), w.err
}

// writer lays out text top to bottom, wrapping to the text width.
type writer struct {
	pdf *gopdf.GoPdf
	y   float64
	err error
}

func (w *writer) font(size float64) {
	if w.err == nil {
		w.err = w.pdf.SetFont("song", "", size)
	}
}

func (w *writer) centered(text string, size float64) {
	w.font(size)
	if w.err != nil || text == "" {
		return
	}
	width, _ := w.pdf.MeasureTextWidth(text)
	w.pdf.SetXY((pageW-width)/2, w.y)
	w.err = w.pdf.Cell(nil, text)
	w.y += size * 1.8
}

func (w *writer) right(text string, size float64) {
	w.font(size)
	if w.err != nil {
		return
	}
	width, _ := w.pdf.MeasureTextWidth(text)
	w.pdf.SetXY(pageW-margin-width, w.y)
	w.err = w.pdf.Cell(nil, text)
	w.y += size * 1.7
}

// left writes text at the left margin on the current line, without moving
// down: the line's right-hand text follows on the same line.
func (w *writer) left(text string, size float64) {
	w.font(size)
	if w.err != nil {
		return
	}
	w.pdf.SetXY(margin, w.y)
	w.err = w.pdf.Cell(nil, text)
}

// para writes a wrapped paragraph, its first line indented by indent points.
func (w *writer) para(text string, size, indent float64) {
	w.font(size)
	if w.err != nil {
		return
	}
	lines := wrap(text, textW, indent, func(s string) float64 {
		width, err := w.pdf.MeasureTextWidth(s)
		if err != nil && w.err == nil {
			w.err = err
		}
		return width
	})
	if w.err != nil {
		return
	}
	for i, line := range lines {
		x := margin
		if i == 0 {
			x += indent
		}
		if w.y > 780 {
			w.pdf.AddPage()
			w.y = 72
		}
		w.pdf.SetXY(x, w.y)
		if w.err = w.pdf.Cell(nil, line); w.err != nil {
			return
		}
		w.y += size * 1.7
	}
	w.y += size * 0.4
}

// noLineStart are the closing marks a line must not begin with, and
// noLineEnd the opening ones it must not end with (避头尾, GB/T 15834 and
// common Chinese typesetting practice).
const (
	noLineStart = "，。、；：？！）】》」』”’〉…—·%"
	noLineEnd   = "（【《「『“‘〈"
)

// wrap breaks text into lines no wider than width (the first line indent
// narrower), measuring with measure, then keeps closing punctuation off
// the start of a line by hanging it at the end of the line before (行末悬挂)
// and opening punctuation off the end of a line by carrying it down.
func wrap(text string, width, indent float64, measure func(string) float64) []string {
	var lines [][]rune
	var cur []rune
	limit := width - indent
	for _, r := range text {
		next := append(cur, r)
		if len(cur) > 0 && measure(string(next)) > limit {
			lines = append(lines, cur)
			cur, limit = []rune{r}, width
			continue
		}
		cur = next
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	for i := 1; i < len(lines); i++ {
		prev := lines[i-1]
		// Hang every closing mark that would begin the line.
		for len(lines[i]) > 0 && strings.ContainsRune(noLineStart, lines[i][0]) {
			prev = append(prev, lines[i][0])
			lines[i] = lines[i][1:]
		}
		// Carry an opening mark that would end the previous line down.
		for len(prev) > 1 && strings.ContainsRune(noLineEnd, prev[len(prev)-1]) {
			lines[i] = append([]rune{prev[len(prev)-1]}, lines[i]...)
			prev = prev[:len(prev)-1]
		}
		lines[i-1] = prev
	}
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if len(l) > 0 {
			out = append(out, string(l))
		}
	}
	return out
}

// QRPNG returns a PNG QR code of url, for pages and PDFs.
func QRPNG(url string) ([]byte, error) {
	qr, err := qrcode.NewWith(url, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := standard.NewWithWriter(nopCloser{&buf}, standard.WithQRWidth(6), standard.WithBorderWidth(8),
		standard.WithBuiltinImageEncoder(standard.PNG_FORMAT))
	if err := qr.Save(w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func qrImage(url string) (image.Image, error) {
	b, err := QRPNG(url)
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	// gopdf embeds 8-bit images only.
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
