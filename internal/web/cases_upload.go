package web

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/blob"
	"github.com/tongban/tongban/internal/httpx"
)

// maxCaseUpload bounds one form post with files. Each file is at most
// blob.MaxSize; a whole checklist at that size would rarely come at once,
// and the form says to send large files in more than one go.
const maxCaseUpload = 100 << 20

// limitUpload refuses an oversized post before the form is parsed (the
// CSRF check parses it), so it costs neither memory nor disk.
func (w *Web) limitUpload(h http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxCaseUpload {
			w.renderError(rw, r, tongban.FieldError("file", "一次提交的文件合计不能超过 %d MB，请分次上传（单个文件不超过 %d MB）",
				maxCaseUpload>>20, blob.MaxSize>>20))
			return
		}
		r.Body = http.MaxBytesReader(rw, r.Body, maxCaseUpload)
		h(rw, r)
	}
}

// upload is a material file stored in the blob store.
type upload struct {
	Hash string
	Name string // the name the browser gave, shown back to the person only
}

// uploads stores each file sent now under file_<key>, and keeps for the
// other keys the file an earlier attempt of the same form stored (its hash
// travels in blob_<key>), so a submit that failed and is retried never
// asks for a file again. A refused file is reported on its field and the
// earlier file, if any, is kept.
func (w *Web) uploads(r *http.Request, keys []string, errs map[string]string) (map[string]upload, error) {
	var files map[string][]*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File
	}
	out := map[string]upload{}
	for _, k := range keys {
		if h := r.FormValue("blob_" + k); h != "" && w.Blobs.Exists(h) {
			out[k] = upload{Hash: h, Name: uploadName(r.FormValue("blobname_" + k))}
		}
		field := "file_" + k
		fhs := files[field]
		if len(fhs) == 0 || fhs[0].Filename == "" { // an input left empty
			continue
		}
		f, err := fhs[0].Open()
		if err != nil {
			return nil, err
		}
		info, err := w.Uploads.Put(r.Context(), httpx.User(r.Context()), field, f)
		f.Close()
		if err != nil {
			if tongban.ErrorCodeOf(err) != tongban.EInvalid {
				return nil, err
			}
			errs[field] = tongban.AsError(err).Message
			continue
		}
		out[k] = upload{Hash: info.Hash, Name: uploadName(fhs[0].Filename)}
	}
	return out, nil
}

// caseMaterialFile serves an uploaded material to whoever may see the case.
// The type is judged from the bytes, as on upload; only PDF and images open
// in the browser, anything else (OFD) downloads.
func (w *Web) caseMaterialFile(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	m, ok := c.Material(r.PathValue("key"))
	if !ok || m.BlobHash == "" {
		return tongban.Errorf(tongban.ENotFound, "该材料没有上传的文件")
	}
	f, err := w.Blobs.Open(m.BlobHash)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return err
	}
	head = head[:n]
	ct, ext, disposition := "application/octet-stream", "ofd", "attachment"
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		ct, ext, disposition = blob.PDF, "pdf", "inline"
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		ct, ext, disposition = blob.JPEG, "jpg", "inline"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		ct, ext, disposition = blob.PNG, "png", "inline"
	}
	h := rw.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": fmt.Sprintf("%s-%s.%s", c.Number, m.Key, ext)}))
	h.Set("Cache-Control", "private, no-store") // personal documents
	if _, err := rw.Write(head); err != nil {
		return nil
	}
	io.Copy(rw, f)
	return nil
}
