package api_test

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/png"
	"net/http"
	"net/url"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/tongban/tongban/internal/demo"
)

// The notice's QR code encodes the public progress page under the
// configured public URL, and that page's API answers anonymously for the
// applicant's name, and exactly like an unknown number for any other.
func TestProgressOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	c := submitNew(t, citizen, l, "进度")

	status, _, png := citizen.send("GET", "/api/v1/cases/"+c.Number+"/qr.png", nil, "Host", "10.1.2.3:8080")
	if status != http.StatusOK {
		t.Fatalf("qr: %d", status)
	}
	target := decodeQR(t, png)
	want := publicURL + "/progress?number=" + url.QueryEscape(c.Number)
	if target != want {
		t.Fatalf("QR encodes %q, want %q", target, want)
	}

	anon := newClient(t, srv)
	status, body := anon.do("GET", "/api/v1/progress/"+c.Number+"?name="+url.QueryEscape(demo.Citizen.Name), nil)
	var p struct {
		Number, State string
		Timeline      []struct{ Action, By string }
		Collection    struct{ Method string }
	}
	if status != 200 || json.Unmarshal(body, &p) != nil || p.Number != c.Number || p.State != "submitted" ||
		len(p.Timeline) != 1 || p.Timeline[0].By != "申请人" || p.Collection.Method != "pickup" {
		t.Fatalf("progress: %d %s", status, body)
	}
	status, body = anon.do("GET", "/api/v1/progress/"+c.Number+"?name="+url.QueryEscape(demo.Citizen.IDNumber[12:]), nil)
	if status != 200 {
		t.Errorf("last six of the ID number: %d %s", status, body)
	}
	wrongStatus, wrong := anon.do("GET", "/api/v1/progress/"+c.Number+"?name="+url.QueryEscape("李四"), nil)
	unknownStatus, unknown := anon.do("GET", "/api/v1/progress/511600000000-20200101-000001?name="+url.QueryEscape(demo.Citizen.Name), nil)
	if wrongStatus != 404 || unknownStatus != 404 || !bytes.Equal(wrong, unknown) {
		t.Errorf("a wrong name (%d %s) must answer like an unknown number (%d %s)", wrongStatus, wrong, unknownStatus, unknown)
	}
}

// decodeQR reads the text a QR code PNG encodes, with a decoder written
// by others (ZXing's Go port).
func decodeQR(t *testing.T, png []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatalf("QR image: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The image is the generated code itself, not a photo: decoding it as a
	// pure barcode skips finder-pattern detection, which misreads about one
	// generated code in two hundred.
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}
