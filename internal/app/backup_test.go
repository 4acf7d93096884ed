package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
)

// Known personal data planted in the application: the applicant's ID number
// and phone, a family member's name, ID number and phone in the form.
const (
	applicantID    = "11010519491231002X"
	applicantPhone = "13800138000"
	memberName     = "欧阳秀娜"
	memberID       = "51160219800101002X"
	memberPhone    = "13912345678"
)

// encodings gives the byte patterns a value could take in a file: UTF-8,
// JSON's \u escapes, and UTF-16 (little and big endian).
func encodings(s string) [][]byte {
	var esc strings.Builder
	for _, r := range s {
		if r < 0x80 {
			esc.WriteRune(r)
		} else {
			fmt.Fprintf(&esc, `\u%04x`, r)
		}
	}
	u16 := utf16.Encode([]rune(s))
	le, be := make([]byte, 2*len(u16)), make([]byte, 2*len(u16))
	for i, c := range u16 {
		binary.LittleEndian.PutUint16(le[2*i:], c)
		binary.BigEndian.PutUint16(be[2*i:], c)
	}
	return [][]byte{[]byte(s), []byte(esc.String()), le, be}
}

// scanDataDir fails for every file under dir holding one of the values.
func scanDataDir(t *testing.T, dir string, values []string) (files int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, v := range values {
			if strings.Contains(path, v) {
				t.Errorf("a file is named by %q: %s", v, path)
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, v := range values {
			for _, enc := range encodings(v) {
				if bytes.Contains(b, enc) {
					t.Errorf("%s holds %q readable", strings.TrimPrefix(path, dir), v)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A copy of the data directory (SQLite database and its WAL, uploaded
// files, checkpoints) holds no personal data anyone could read without the
// platform secret, which here is not in the directory.
func TestDataDirectoryBackupHoldsNoReadablePersonalData(t *testing.T) {
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, Secret: strings.Repeat("5a", 32)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			a.Close()
		}
	}()
	st := a.Store
	now := time.Now()
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"}, {Code: "511602000000", Name: "广安区"}} {
		if err := st.CreateRegion(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	dept := &tongban.Org{Code: "gaq-scjgj", Name: "广安市广安区市场监督管理局", Kind: tongban.OrgDepartment, RegionCode: "511602000000"}
	if err := st.CreateOrg(ctx, dept); err != nil {
		t.Fatal(err)
	}
	id, err := tongban.ParseIDNumber(applicantID)
	if err != nil {
		t.Fatal(err)
	}
	phone, err := tongban.ParsePhone(applicantPhone)
	if err != nil {
		t.Fatal(err)
	}
	u := &tongban.User{Kind: tongban.UserCitizen, Name: "张三", IDNumber: id, Phone: phone, PasswordHash: "h", CreatedAt: now}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	form, _ := json.Marshal(map[string]any{
		"申请人手机": applicantPhone,
		"家庭成员":  []map[string]string{{"姓名": memberName, "身份证号": memberID, "手机": memberPhone}},
	})
	marker := "UPLOAD-MARKER-b7c1e9"
	scan := append([]byte("%PDF-1.7\n% "+marker+" "+memberName+" "+memberID+"\n"), bytes.Repeat([]byte(" "), 2048)...)
	up, err := a.Uploads.Put(ctx, u, "file", bytes.NewReader(scan))
	if err != nil {
		t.Fatal(err)
	}
	var cases []*tongban.Case
	for i := range 3 {
		c := &tongban.Case{Number: fmt.Sprintf("511602000000-20260302-%06d", i+1), ListingID: 1, ListingVersion: 1,
			ItemName: "城乡居民最低生活保障", ListingName: "最低生活保障审核确认", OrgID: dept.ID, RegionCode: dept.RegionCode,
			ApplicantID: u.ID, ApplicantName: u.Name, Channel: tongban.ChannelOnline, State: tongban.CaseSubmitted,
			Form: form, CreatedAt: now, UpdatedAt: now,
			Materials: []tongban.CaseMaterial{{Key: "m1", Name: "身份证", BlobHash: up.Hash, Status: tongban.MaterialProvided}}}
		if err := st.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	// The cases still read back whole.
	got, err := st.Case(ctx, cases[2].ID)
	if err != nil || !bytes.Equal(got.Form, form) {
		t.Fatalf("case read back: %v, %v", got, err)
	}
	// So does the uploaded file.
	r, err := a.Blobs.Open(up.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r); !bytes.Equal(b, scan) {
		t.Fatal("the uploaded file reads back differently")
	}
	sum := sha256.Sum256(scan)
	values := []string{applicantID, applicantPhone, memberName, memberID, memberPhone, marker, hex.EncodeToString(sum[:])}
	// While the server runs (the WAL holds the latest writes) and after it stopped.
	if n := scanDataDir(t, dir, values); n < 2 {
		t.Fatalf("scanned %d files: the data directory is not where the data is", n)
	}
	a.Close()
	closed = true
	scanDataDir(t, dir, values)
}
