package store

import (
	"encoding/json"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/jsontext"
)

// The JSON columns read with every case and event (a case's materials,
// corrections and reasons; an event's material keys and facts) are decoded
// by hand when they are as the store wrote them (json.Marshal's form), and
// by encoding/json otherwise: on the case-status read, the busiest of all,
// encoding/json was a tenth of the server's CPU. Each read* below reports
// false for any text it does not take whole, and decodeJSON then hands the
// text to encoding/json, so what a case reads back never depends on which
// of the two decoded it (TestStoredJSONReadAsEncodingJSON).

// decodeJSON decodes text into v with read, or with encoding/json when
// read does not take it.
func decodeJSON[T any](text string, v *T, read func(*jsontext.Reader) (T, bool)) error {
	if got, ok := read(jsontext.NewReader(text)); ok {
		*v = got
		return nil
	}
	var fresh T
	if err := json.Unmarshal([]byte(text), &fresh); err != nil {
		return err
	}
	*v = fresh
	return nil
}

// readList reads an array whose elements each reads; "[]" is an empty,
// non-nil slice, as encoding/json reads it.
func readList[T any](r *jsontext.Reader, each func(*jsontext.Reader) T) ([]T, bool) {
	r.Open('[')
	out := []T{}
	for r.More(']') {
		out = append(out, each(r))
	}
	return out, r.OK()
}

func readStrings(r *jsontext.Reader) ([]string, bool) {
	return readList(r, (*jsontext.Reader).String)
}

func readMaterials(r *jsontext.Reader) ([]tongban.CaseMaterial, bool) {
	return readList(r, readMaterial)
}

func readMaterial(r *jsontext.Reader) tongban.CaseMaterial {
	var m tongban.CaseMaterial
	r.Open('{')
	for r.More('}') {
		switch r.Key() {
		case "key":
			m.Key = r.String()
		case "name":
			m.Name = r.String()
		case "blob_hash":
			m.BlobHash = r.String()
		case "status":
			m.Status = tongban.MaterialStatus(r.String())
		case "ref":
			m.Ref = readRef(r)
		case "confirmed":
			m.Confirmed = r.Bool()
		default:
			r.Fail()
		}
	}
	return m
}

func readRef(r *jsontext.Reader) *tongban.MaterialRef {
	ref := &tongban.MaterialRef{}
	r.Open('{')
	for r.More('}') {
		switch r.Key() {
		case "kind":
			ref.Kind = tongban.MaterialRefKind(r.String())
		case "id":
			ref.ID = r.String()
		case "version":
			ref.Version = r.Int()
		case "note":
			ref.Note = r.String()
		case "file":
			ref.File = r.String()
		default:
			r.Fail()
		}
	}
	return ref
}

func readDeficiencies(r *jsontext.Reader) ([]tongban.Deficiency, bool) {
	return readList(r, func(r *jsontext.Reader) tongban.Deficiency {
		var d tongban.Deficiency
		r.Open('{')
		for r.More('}') {
			switch r.Key() {
			case "key":
				d.Key = r.String()
			case "name":
				d.Name = r.String()
			case "reason":
				d.Reason = r.String()
			default:
				r.Fail()
			}
		}
		return d
	})
}

func readFacts(r *jsontext.Reader) (tongban.EventFacts, bool) {
	var f tongban.EventFacts
	r.Open('{')
	for r.More('}') {
		switch r.Key() {
		case "region":
			f.RegionCode = r.String()
		case "org":
			f.OrgID = r.Int64()
		case "listing":
			f.ListingID = r.Int64()
		case "channel":
			f.Channel = tongban.Channel(r.String())
		case "at_window":
			f.AtWindow = r.Bool()
		case "materials_asked":
			f.MaterialsAsked = r.Int()
		case "materials_spared":
			f.MaterialsSpared = r.Int()
		case "spared_license":
			f.SparedByLicense = r.Int()
		case "spared_library":
			f.SparedByLibrary = r.Int()
		case "spared_shared":
			f.SparedByShared = r.Int()
		case "visits":
			f.Visits = r.Int()
		case "due_date":
			f.DueDate = r.String()
		case "decided_at":
			if q := r.Quoted(); q != nil && f.DecidedAt.UnmarshalJSON(q) != nil {
				r.Fail()
			}
		default:
			r.Fail()
		}
	}
	return f, r.OK()
}
