package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/blob"
	"github.com/tongban/tongban/internal/httpx"
)

// MaxUploadBody bounds an upload request: the largest file plus room for
// the multipart envelope. blob.Put itself refuses files over blob.MaxSize.
const MaxUploadBody = blob.MaxSize + 1<<20

// uploadTypes are the raw body types accepted besides multipart; the blob
// store decides the real type from the bytes.
var uploadTypes = []string{blob.PDF, blob.JPEG, blob.PNG, blob.OFD}

func (a *API) uploadRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/uploads", Tag: "cases", Access: signedIn, Limit: MaxUploadBody,
		Summary: "上传申请材料：multipart/form-data 的 file 字段，或请求体直接为文件（Content-Type 为 application/pdf、image/jpeg、image/png 或 application/ofd）。" +
			"只接受 PDF、JPEG、PNG、OFD，不超过 20 MB；同一文件重复上传得到同一 hash",
		Consumes: append([]string{"multipart/form-data"}, uploadTypes...),
		Out:      blob.Info{}, Status: http.StatusCreated, handle: a.upload,
		Responses: []Response{{Status: http.StatusTooManyRequests, Description: "今日上传已达本账号的每日上限", Out: errorBody{}}}})
	a.add(Route{Method: "GET", Path: "/api/v1/uploads/{hash}", Tag: "cases", Access: signedIn,
		Summary:   "下载申请材料：仅限引用该文件的办件的当事人（申请人本人，或有权查看该办件的工作人员），须以 case 指明办件编号",
		Query:     []Param{{Name: "case", Description: "引用该文件的办件编号", Required: true}},
		Responses: []Response{{Status: http.StatusOK, Description: "文件本身，媒体类型按内容判定", Produces: uploadTypes}},
		handle:    a.download})
}

// upload stores one file. The body is streamed into the blob store, which
// writes a temporary file and renames it into place, so a refused, broken
// or failed upload leaves nothing behind.
func (a *API) upload(w http.ResponseWriter, r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var body io.Reader
	switch {
	case ct == "multipart/form-data":
		part, err := filePart(r)
		if err != nil {
			return err
		}
		body = part
	case slices.Contains(uploadTypes, ct):
		body = r.Body
	default:
		return tongban.FieldError("file", "请以 multipart/form-data 上传 file 字段，或直接上传 PDF、JPEG、PNG、OFD 文件")
	}
	src := &clientReader{r: body}
	info, err := a.Uploads.Put(r.Context(), httpx.User(r.Context()), "file", src)
	if err != nil {
		return src.blame(err)
	}
	return writeJSON(w, http.StatusCreated, info)
}

// filePart finds the "file" part of a multipart body without buffering the
// whole body; if the CSRF check already parsed the form, it reads from that.
func filePart(r *http.Request) (io.Reader, error) {
	if r.MultipartForm != nil {
		f, _, err := r.FormFile("file")
		if err != nil {
			return nil, tongban.FieldError("file", "请选择要上传的文件")
		}
		return f, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, tongban.FieldError("file", "multipart 请求体格式错误")
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, tongban.FieldError("file", "请选择要上传的文件")
		}
		if err != nil {
			return nil, tooLarge(err, "multipart 请求体格式错误")
		}
		if p.FormName() == "file" {
			return p, nil
		}
	}
}

// clientReader remembers a failure reading the client's body, so a broken
// or oversized request is blamed on the request (400), not on the store
// (503).
type clientReader struct {
	r   io.Reader
	err error
}

func (c *clientReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		c.err = err
	}
	return n, err
}

func (c *clientReader) blame(err error) error {
	if c.err == nil {
		return err
	}
	return tooLarge(c.err, "上传中断，请重新上传")
}

func tooLarge(err error, otherwise string) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return tongban.FieldError("file", "文件不能超过 %d MB", blob.MaxSize>>20)
	}
	return tongban.FieldError("file", "%s", otherwise)
}

// download serves an upload to a party of a case that references it: the
// caller names the case, must be allowed to see it (the workflow's rule),
// and the case's materials must reference the hash. An upload no case
// references is served to no one; the uploader still has their copy.
func (a *API) download(w http.ResponseWriter, r *http.Request) error {
	hash := r.PathValue("hash")
	if !strings.Contains(hash, ":") {
		hash = blob.KeyedPrefix + hash
	}
	if !blob.ValidHash(hash) {
		return tongban.FieldError("hash", "文件标识应为 hmac-sm3:… 值")
	}
	number := r.URL.Query().Get("case")
	if number == "" {
		return tongban.FieldError("case", "请指明引用该文件的办件编号")
	}
	req, _ := a.caseRequest(r)
	c, err := a.Workflow.ByNumber(r.Context(), req, number)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(c.Materials, func(m tongban.CaseMaterial) bool { return m.BlobHash == hash }) {
		return tongban.Errorf(tongban.ENotFound, "办件 %s 的材料中没有该文件", c.Number)
	}
	f, err := a.Blobs.Open(hash)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	w.Header().Set("Content-Type", mediaTypeOf(head[:n]))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=86400") // the bytes of a hash never change
	w.Header().Set("ETag", `"`+hash+`"`)
	if s, ok := f.(io.ReadSeeker); ok {
		if _, err := s.Seek(0, io.SeekStart); err == nil {
			http.ServeContent(w, r, "", time.Time{}, s)
			return nil
		}
	}
	w.Write(head[:n])
	io.Copy(w, f) // the status is sent; a broken copy can only be logged by the server
	return nil
}

// mediaTypeOf names a stored upload's type from its first bytes; the store
// only holds the four accepted types.
func mediaTypeOf(head []byte) string {
	switch {
	case strings.HasPrefix(string(head), "%PDF-"):
		return blob.PDF
	case strings.HasPrefix(string(head), "\xFF\xD8\xFF"):
		return blob.JPEG
	case strings.HasPrefix(string(head), "\x89PNG\r\n\x1a\n"):
		return blob.PNG
	case strings.HasPrefix(string(head), "PK\x03\x04"):
		return blob.OFD
	}
	return "application/octet-stream"
}
