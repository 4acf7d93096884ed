package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/blob"
	"github.com/tongban/tongban/internal/workflow"
)

// Bounds of an application body, checked before anything is looked up, so a
// hostile body costs little. The form's byte bound is the workflow's.
const (
	MaxFormDepth = 8    // nested objects/arrays in a form
	MaxMaterials = 100  // materials in one submission (listings have ~10)
	MaxTextRunes = 4000 // any reason, opinion or note
)

// applicationInput is the body of POST /api/v1/cases.
type applicationInput struct {
	ListingID      int64           `json:"listing_id"`
	ListingVersion int             `json:"listing_version,omitempty"` // the version the applicant saw; 0 = current
	Channel        tongban.Channel `json:"channel,omitempty"`         // default online; counter when a clerk submits
	// ApplicantIDNumber (a citizen) or ApplicantCreditCode (an enterprise)
	// identifies the applicant a window clerk submits for. Someone with no
	// account is recorded from ApplicantName (the enterprise's name),
	// ApplicantPhone and, for an enterprise, ApplicantLegalRepName.
	ApplicantIDNumber     string `json:"applicant_id_number,omitempty"`
	ApplicantCreditCode   string `json:"applicant_credit_code,omitempty"`
	ApplicantName         string `json:"applicant_name,omitempty"`
	ApplicantPhone        string `json:"applicant_phone,omitempty"`
	ApplicantLegalRepName string `json:"applicant_legal_rep_name,omitempty"`
	// PickupHallID is the hall the applicant collects the result at.
	PickupHallID int64                  `json:"pickup_hall_id,omitempty"`
	Form         json.RawMessage        `json:"form,omitempty"` // a JSON object
	Materials    []materialInput        `json:"materials,omitempty"`
	Commitment   bool                   `json:"commitment,omitempty"` // the applicant signs the 告知承诺书
	Delivery     tongban.DeliveryMethod `json:"delivery,omitempty"`   // pickup (default) or express
}

// materialInput is one material handed in: an upload (blob_hash from POST
// /api/v1/uploads), a commitment, or a status that spares the paper by a
// reference the server resolves (e_license, reused, shared; ref optionally
// names which licence, library entry or shared record the applicant chose).
type materialInput struct {
	Key      string                 `json:"key"`
	BlobHash string                 `json:"blob_hash,omitempty"`
	Status   tongban.MaterialStatus `json:"status,omitempty"`
	Ref      string                 `json:"ref,omitempty"`
	// Consent authorises the e_license named (or found) for this case, for
	// Reason (用证事由; default 办理「事项」). Without it no licence is used.
	Consent bool   `json:"consent,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// decodeApplication reads and checks a submission body: shape, bounds and
// formats. Whether the listing, the applicant and the uploads exist is
// asked of the store afterwards; the rules of the case are the workflow's.
func decodeApplication(w http.ResponseWriter, r *http.Request) (applicationInput, error) {
	var in applicationInput
	if err := decode(w, r, &in); err != nil {
		return in, err
	}
	return in, in.check()
}

func (in *applicationInput) check() error {
	switch {
	case in.ListingID <= 0:
		return tongban.FieldError("listing_id", "请指明要申请的实施清单")
	case in.ListingVersion < 0:
		return tongban.FieldError("listing_version", "版本号不能为负数")
	}
	return in.checkBody()
}

// checkBody checks what every application body has besides its listing:
// channel, delivery, applicant, form and materials.
func (in *applicationInput) checkBody() error {
	switch {
	case in.Channel != "" && !in.Channel.Valid():
		return tongban.FieldError("channel", "申请渠道应为 online、counter、mobile、kiosk 或 agent")
	case in.Delivery != "" && !in.Delivery.Valid():
		return tongban.FieldError("delivery", "送达方式应为 pickup 或 express")
	case in.ApplicantIDNumber != "" && in.ApplicantCreditCode != "":
		return tongban.FieldError("applicant_credit_code", "身份证号和统一社会信用代码只填一项")
	}
	if in.ApplicantIDNumber != "" {
		id, err := tongban.ParseIDNumber(in.ApplicantIDNumber)
		if err != nil {
			return renamed(err, "applicant_id_number")
		}
		in.ApplicantIDNumber = string(id)
	}
	if in.ApplicantCreditCode != "" {
		cc, err := tongban.ParseCreditCode(in.ApplicantCreditCode)
		if err != nil {
			return renamed(err, "applicant_credit_code")
		}
		in.ApplicantCreditCode = string(cc)
	}
	form, err := checkForm(in.Form)
	if err != nil {
		return err
	}
	in.Form = form
	ms, err := checkMaterialInputs(in.Materials)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		ms = nil // [] and no materials are the same application
	}
	in.Materials = ms
	for i, m := range in.Materials {
		if m.Status == tongban.MaterialCommitment && !in.Commitment {
			return tongban.FieldError(fmt.Sprintf("materials[%d].status", i), "以告知承诺代替证明材料，须签署告知承诺书（commitment 为 true）")
		}
	}
	return nil
}

// checkMaterialInputs checks the shape of materials; keys and statuses are
// checked against the listing by the workflow.
func checkMaterialInputs(ms []materialInput) ([]materialInput, error) {
	if len(ms) > MaxMaterials {
		return nil, tongban.FieldError("materials", "材料不能超过 %d 项", MaxMaterials)
	}
	for i := range ms {
		m := &ms[i]
		// The field's name is built only for an error: most input has none.
		field := func(part string) string { return fmt.Sprintf("materials[%d].%s", i, part) }
		m.Key = strings.TrimSpace(m.Key)
		m.BlobHash = strings.TrimSpace(m.BlobHash)
		switch {
		case m.Key == "":
			return nil, tongban.FieldError(field("key"), "请指明材料")
		case utf8.RuneCountInString(m.Key) > 64 || !printable(m.Key):
			return nil, tongban.FieldError(field("key"), "材料标识无效")
		case m.BlobHash != "" && !blob.ValidHash(m.BlobHash):
			return nil, tongban.FieldError(field("blob_hash"), "文件标识应为上传接口返回的 hmac-sm3:… 值")
		case m.Status != "" && !m.Status.Valid():
			return nil, tongban.FieldError(field("status"), "材料状态无效")
		case utf8.RuneCountInString(m.Ref) > 200 || !printable(m.Ref):
			return nil, tongban.FieldError(field("ref"), "引用标识无效")
		}
	}
	return ms, nil
}

// checkForm bounds a form (bytes, nesting) and stores it compacted; a form
// must be a JSON object of valid UTF-8 text without NUL characters. Errors
// name the place in the form, e.g. form.applicant.address. It is one pass
// over the bytes (workflow.CompactForm) that refuses the first problem in
// the form's order, bad UTF-8 anywhere first; a string's length needs no
// check, the form's byte bound keeping it under MaxFormBytes characters.
func checkForm(f json.RawMessage) (json.RawMessage, error) {
	const maxKeyRunes = 200
	f = bytes.TrimSpace(f)
	if len(f) == 0 || string(f) == "null" {
		return json.RawMessage(`{}`), nil
	}
	if len(f) > workflow.MaxFormBytes {
		return nil, tongban.FieldError("form", "申请表内容过大，不能超过 %d KB", workflow.MaxFormBytes>>10)
	}
	if f[0] != '{' {
		return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
	}
	form, p := workflow.CompactForm(f, workflow.FormRules{MaxDepth: MaxFormDepth, Text: true, MaxKeyRunes: maxKeyRunes})
	switch p.Fault {
	case 0:
		return form, nil
	case workflow.FormBadUTF8:
		return nil, tongban.FieldError("form", "申请表含有无效字符")
	case workflow.FormTooDeep:
		return nil, tongban.FieldError(p.Place, "申请表嵌套不能超过 %d 层", MaxFormDepth)
	case workflow.FormNUL:
		return nil, tongban.FieldError(p.Place, "不能包含空字符")
	case workflow.FormLongKey:
		return nil, tongban.FieldError(p.Place, "内容过长，不能超过 %d 个字符", maxKeyRunes)
	case workflow.FormTrailing, workflow.FormNotObject:
		return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
	}
	return nil, tongban.FieldError("form", "申请表 JSON 格式错误")
}

// checkText refuses NUL (no database text column holds it) and text over
// max runes.
func checkText(field, s string, max int) error {
	if strings.IndexByte(s, 0) >= 0 {
		return tongban.FieldError(field, "不能包含空字符")
	}
	if utf8.RuneCountInString(s) > max {
		return tongban.FieldError(field, "内容过长，不能超过 %d 个字符", max)
	}
	return nil
}

// checkStrings applies checkText to every string of an action body,
// naming the field by its JSON path (reasons[1], items[0].reason).
func checkStrings(v any) error {
	return walkStrings(reflect.ValueOf(v), "")
}

func walkStrings(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkStrings(v.Elem(), path)
	case reflect.String:
		return checkText(path, v.String(), MaxTextRunes)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // raw JSON, checked on its own
		}
		for i := 0; i < v.Len(); i++ {
			if err := walkStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				name = f.Name
			}
			if path != "" {
				name = path + "." + name
			}
			if err := walkStrings(v.Field(i), name); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeAction reads an action body; an empty body is the zero input, since
// several actions need nothing (approve without an opinion, special-end).
// Every string is then checked like form text.
func decodeAction(w http.ResponseWriter, r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	if r.ContentLength < 0 { // chunked: peek to tell an empty body
		br := bufio.NewReader(r.Body)
		if _, err := br.Peek(1); errors.Is(err, io.EOF) {
			return nil
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{br, r.Body}
	}
	if err := decode(w, r, v); err != nil {
		return err
	}
	return checkStrings(v)
}

// renamed is err with its field renamed, for rules shared with other forms.
func renamed(err error, field string) error {
	e := *tongban.AsError(err)
	e.Field = field
	return &e
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
