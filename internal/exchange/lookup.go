package exchange

import (
	"context"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// FieldValue is one data item as a page shows it.
type FieldValue struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Finding is what shared data holds for one material of a listing, for
// the applicant to confirm before applying.
type Finding struct {
	Key      string `json:"key"` // the listing's material
	Resource string `json:"resource"`
	Name     string `json:"name"`  // the resource's name
	Org      string `json:"org"`   // its department
	Share    string `json:"share"` // unconditional | conditional
	// NeedsConsent: a 有条件 resource the applicant has not (yet) agreed
	// to for this listing; nothing was looked up.
	NeedsConsent bool `json:"needs_consent,omitempty"`
	Found        bool `json:"found"`
	// Fields are the record's items, personal ones masked.
	Fields []FieldValue `json:"fields,omitempty"`
	// Unavailable says why the provider could not be asked just now.
	Unavailable string `json:"unavailable,omitempty"`
}

// Lookup finds, for each material of the listing that a shared resource
// stands for, the applicant's record — pulling it from its provider when
// needed, and never for a 有条件 resource without the applicant's open
// consent. Values are masked for the page. When someone other than the
// applicant looks (a clerk at a window), the read is recorded in the
// applicant's data record.
func (d *Data) Lookup(ctx context.Context, r identity.Request, applicant *tongban.User, l *tongban.Listing, ms []tongban.Material) ([]Finding, error) {
	var out []Finding
	var read []string
	now := d.Clock.Now()
	for _, m := range ms {
		list, err := d.ResourcesFor(ctx, d.Store, m, applicant)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 || list[0].Share == tongban.ShareNone {
			continue
		}
		res := list[0]
		f := Finding{Key: m.Key, Resource: res.Code, Name: res.Name, Org: res.OrgName, Share: string(res.Share)}
		if res.Share == tongban.ShareConditional {
			if _, err := d.Store.OpenConsent(ctx, applicant.ID, res.Code, l.ID, now); tongban.IsCode(err, tongban.ENotFound) {
				f.NeedsConsent = true
				out = append(out, f)
				continue
			} else if err != nil {
				return nil, err
			}
		}
		rec, found, err := d.fetch(ctx, res, tongban.SubjectOf(applicant, res.Subject))
		switch {
		case tongban.IsCode(err, tongban.EUnavailable):
			f.Unavailable = tongban.AsError(err).Message
		case err != nil:
			return nil, err
		case found:
			f.Found, f.Fields = true, MaskedFields(res, rec)
			read = append(read, res.Code)
		}
		out = append(out, f)
	}
	if err := d.recordStaffRead(ctx, r, applicant, read, fmt.Sprintf("窗口受理「%s」时查询共享数据（脱敏显示）", l.Name)); err != nil {
		return nil, err
	}
	return out, nil
}

// recordStaffRead records that someone other than the applicant — a clerk
// at a window — was shown the applicant's records of the resources.
func (d *Data) recordStaffRead(ctx context.Context, r identity.Request, applicant *tongban.User, codes []string, reason string) error {
	if len(codes) == 0 || r.Actor == nil || r.Actor.ID == applicant.ID {
		return nil
	}
	return d.Store.Transact(ctx, func(tx tongban.Store) error {
		return tx.RecordDataUse(ctx, &tongban.DataUse{SubjectID: applicant.ID, At: d.Clock.Now(), Kind: tongban.DataUseSharedLookup,
			ActorID: r.Actor.ID, ActorName: staffLabel(r.Actor), Resource: strings.Join(codes, ","), Reason: reason})
	})
}

// MaskedFields are a record's items in the resource's order, personal ones
// masked, for the applicant to recognise without showing them in full.
func MaskedFields(res *tongban.DataResource, rec *tongban.DataRecord) []FieldValue {
	return fieldValues(res, rec, true)
}

// FullFields are a record's items in full, for the approver of a case.
func FullFields(res *tongban.DataResource, rec *tongban.DataRecord) []FieldValue {
	return fieldValues(res, rec, false)
}

func fieldValues(res *tongban.DataResource, rec *tongban.DataRecord, mask bool) []FieldValue {
	var out []FieldValue
	for _, f := range res.Fields {
		v, ok := rec.Data[f.Key]
		if !ok {
			continue
		}
		if mask && f.Personal {
			v = MaskValue(v)
		}
		out = append(out, FieldValue{Key: f.Key, Name: f.Name, Value: v})
	}
	return out
}

// MaskValue hides most of a personal value: an ID number as its own mask,
// a name but its first character, anything else but its first and last
// quarter.
func MaskValue(v string) string {
	if id, err := tongban.ParseIDNumber(v); err == nil {
		return id.Masked()
	}
	r := []rune(v)
	n := len(r)
	switch {
	case n == 0:
		return ""
	case n <= 4:
		return string(r[0]) + strings.Repeat("*", n-1)
	}
	keep := n / 4
	stars := min(n-2*keep, 8)
	return string(r[:keep]) + strings.Repeat("*", stars) + string(r[n-keep:])
}
