package license

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/png" // the QR code
	"math"
	"os"
	"sort"

	"github.com/signintech/gopdf"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notice"
)

// Face is what the licence face (照面) PDF shows.
type Face struct {
	License *tongban.License
	// Type orders the face items as the type lists them; nil sorts by name.
	Type *tongban.LicenseType
	// VerifyURL is what the QR code holds: {public URL}/v/{token}.
	VerifyURL string
	// Annotation is a share link's 加注 (仅供办理…使用，有效期至…), printed
	// in red across the face; empty for the licence itself.
	Annotation string
	// Status is the verdict's label when the licence is no longer 有效.
	Status string
}

// A4 portrait, in points.
const (
	faceW, faceH = 595.28, 841.89
	faceMargin   = 56.0
)

// sealRed is the red of 公章 ink.
var sealRed = [3]uint8{204, 0, 0}

// FacePDF draws the licence face on A4 with the font at fontPath: the
// type's name, number, holder (a person's ID number masked), the face
// items, issuer and dates, the issuer's seal, the QR code of the
// verification link and the identifier.
func FacePDF(f Face, fontPath string) ([]byte, error) {
	l := f.License
	if _, err := os.Stat(fontPath); err != nil {
		return nil, fmt.Errorf("licence font %s: %w (install fonts-arphic-gbsn00lp)", fontPath, err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	if err := pdf.AddTTFFont("song", fontPath); err != nil {
		return nil, fmt.Errorf("load font: %w", err)
	}
	pdf.AddPage()
	d := &faceDrawer{pdf: pdf}
	// A double frame, as printed licences have.
	pdf.SetStrokeColor(150, 110, 40)
	pdf.SetLineWidth(2.5)
	pdf.RectFromUpperLeftWithStyle(28, 28, faceW-56, faceH-56, "D")
	pdf.SetLineWidth(0.8)
	pdf.RectFromUpperLeftWithStyle(36, 36, faceW-72, faceH-72, "D")

	d.centered(l.TypeName, 28, 96)
	d.centered("证照编号："+l.Number, 11, 140)
	y := 170.0
	if f.Annotation != "" {
		d.color(sealRed)
		y = d.wrapped(f.Annotation, 14, faceMargin+8, y, faceW-2*faceMargin-16)
		d.color([3]uint8{0, 0, 0})
		y += 6
	}
	if f.Status != "" {
		d.color(sealRed)
		d.centered("本证照状态："+f.Status, 16, y+4)
		d.color([3]uint8{0, 0, 0})
		y += 34
	}
	rows := [][2]string{{holderLabel(l), l.HolderName}, {codeLabel(l), l.HolderCodeMasked}}
	for _, name := range faceOrder(f) {
		rows = append(rows, [2]string{name, l.Face[name]})
	}
	validTo := "长期"
	if !l.ValidTo.IsZero() {
		validTo = dateCN(l.ValidTo.Format("2006-01-02"))
	}
	rows = append(rows, [2]string{"有效期限", dateCN(l.ValidFrom.Format("2006-01-02")) + " 至 " + validTo})
	y += 14
	for _, r := range rows {
		d.font(13)
		d.at(faceMargin+8, y, r[0])
		y = d.wrapped(r[1], 13, faceMargin+120, y, faceW-2*faceMargin-128) + 8
		if y > 560 {
			break // the rest stays in the signed form; a face is one page
		}
	}
	// Issuer, date and the seal drawn over them, as a stamp is.
	issuerY := math.Max(y+30, 600)
	d.font(13)
	d.right("发证机关："+l.IssuerName, issuerY)
	d.right(dateCN(l.IssuedOn.Format("2006-01-02")), issuerY+24)
	d.seal(faceW-faceMargin-80, issuerY+6, 58, l.IssuerName)
	if d.err != nil {
		return nil, d.err
	}
	if f.VerifyURL != "" {
		img, err := qrImage(f.VerifyURL)
		if err != nil {
			return nil, err
		}
		size := 96.0
		if err := pdf.ImageFrom(img, faceMargin, faceH-faceMargin-size-40, &gopdf.Rect{W: size, H: size}); err != nil {
			return nil, err
		}
		d.font(9)
		d.at(faceMargin+size+10, faceH-faceMargin-size-30, "扫码核验本证照的真伪与状态")
	}
	d.font(8)
	d.at(faceMargin, faceH-faceMargin-24, "证照标识："+l.Identifier)
	d.at(faceMargin, faceH-faceMargin-12, "电子印章密钥："+l.KeyID+"（"+Algorithm+"），可用 /api/v1/seals 公布的公钥验签")
	if d.err != nil {
		return nil, d.err
	}
	return pdf.GetBytesPdf(), nil
}

func holderLabel(l *tongban.License) string {
	if l.HolderKind == tongban.HolderOrg {
		return "持证主体"
	}
	return "持证人"
}

func codeLabel(l *tongban.License) string {
	if l.HolderKind == tongban.HolderOrg {
		return "统一社会信用代码"
	}
	return "公民身份号码"
}

// faceOrder is the face items in the type's order, then any others by name.
func faceOrder(f Face) []string {
	var out []string
	seen := map[string]bool{}
	if f.Type != nil {
		for _, fl := range f.Type.Fields {
			if _, ok := f.License.Face[fl.Name]; ok && !seen[fl.Name] {
				out, seen[fl.Name] = append(out, fl.Name), true
			}
		}
	}
	var rest []string
	for k := range f.License.Face {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// dateCN writes YYYY-MM-DD as YYYY年M月D日.
func dateCN(iso string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(iso, "%d-%d-%d", &y, &m, &d); err != nil {
		return iso
	}
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}

type faceDrawer struct {
	pdf *gopdf.GoPdf
	err error
}

func (d *faceDrawer) font(size float64) {
	if d.err == nil {
		d.err = d.pdf.SetFont("song", "", size)
	}
}

func (d *faceDrawer) color(c [3]uint8) { d.pdf.SetTextColor(c[0], c[1], c[2]) }

func (d *faceDrawer) at(x, y float64, text string) {
	if d.err != nil || text == "" {
		return
	}
	d.pdf.SetXY(x, y)
	d.err = d.pdf.Cell(nil, text)
}

func (d *faceDrawer) width(text string) float64 {
	w, err := d.pdf.MeasureTextWidth(text)
	if err != nil && d.err == nil {
		d.err = err
	}
	return w
}

func (d *faceDrawer) centered(text string, size, y float64) {
	d.font(size)
	if d.err == nil {
		d.at((faceW-d.width(text))/2, y, text)
	}
}

func (d *faceDrawer) right(text string, y float64) {
	if d.err == nil {
		d.at(faceW-faceMargin-8-d.width(text), y, text)
	}
}

// wrapped writes text from (x, y) in lines no wider than width and
// returns the y below it.
func (d *faceDrawer) wrapped(text string, size, x, y, width float64) float64 {
	d.font(size)
	if d.err != nil {
		return y
	}
	var line []rune
	for _, r := range text {
		next := append(line, r)
		if len(line) > 0 && d.width(string(next)) > width {
			d.at(x, y, string(line))
			y += size * 1.6
			line = []rune{r}
			continue
		}
		line = next
	}
	d.at(x, y, string(line))
	return y + size*1.6
}

// seal draws the issuer's round seal: a red ring, a five-pointed star in
// the middle, the issuer's name along the upper arc and 电子证照专用章 below
// the star. Centre (cx, cy), radius r.
func (d *faceDrawer) seal(cx, cy, r float64, name string) {
	if d.err != nil {
		return
	}
	p := d.pdf
	p.SetStrokeColor(sealRed[0], sealRed[1], sealRed[2])
	p.SetFillColor(sealRed[0], sealRed[1], sealRed[2])
	p.SetLineWidth(2.6)
	p.Oval(cx-r, cy-r, cx+r, cy+r)
	star := make([]gopdf.Point, 0, 10)
	for i := 0; i < 10; i++ {
		rad := r * 0.3
		if i%2 == 1 {
			rad = r * 0.12
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		star = append(star, gopdf.Point{X: cx + rad*math.Cos(a), Y: cy + rad*math.Sin(a)})
	}
	p.Polygon(star, "F")
	d.color(sealRed)
	// The name along the upper arc, each character turned to face out.
	chars := []rune(name)
	size := math.Min(13, 1.9*r/float64(max(len(chars), 1))*1.9)
	d.font(size)
	span := math.Min(250, float64(len(chars))*size*1.15/(r*0.78)*180/math.Pi)
	for i, ch := range chars {
		deg := -90 - span/2 + span*(float64(i)+0.5)/float64(len(chars)) // clockwise from the top, in page degrees
		a := deg * math.Pi / 180
		px, py := cx+(r*0.78)*math.Cos(a), cy+(r*0.78)*math.Sin(a)
		// gopdf turns counter-clockwise; the page's y runs down.
		p.Rotate(-(deg + 90), px, py)
		w := d.width(string(ch))
		d.at(px-w/2, py-size/2+size*0.1, string(ch))
		p.RotateReset()
	}
	d.font(8.5)
	label := "电子证照专用章"
	d.at(cx-d.width(label)/2, cy+r*0.42, label)
	d.color([3]uint8{0, 0, 0})
}

// qrImage is the QR code as an 8-bit image, which gopdf embeds.
func qrImage(url string) (image.Image, error) {
	b, err := notice.QRPNG(url)
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba, nil
}
