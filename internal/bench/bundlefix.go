package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// RestaurantBundle is the demo's 开办餐饮店“一件事” (four components in three
// departments), and DemoEnterprise the demo enterprise that applies for it.
const (
	RestaurantBundle = "YJS-KBCYD"
	DemoEnterprise   = "91511602MA6AB1C2DE"
)

// BundleFixture is what bundle submissions need on a running Tongban: the
// demo enterprise with an API token, the bundle, and one upload per
// material of its merged checklist.
type BundleFixture struct {
	Applicant  *API
	BundleID   int64
	Components int
	Body       []byte // POST /api/v1/bundles/{id}/cases
}

// NewBundleFixture prepares the restaurant bundle's application through the
// API, as the enterprise's browser would: the checklist for no particular
// answers, each material uploaded once, the merged form.
func NewBundleFixture(ctx context.Context, base string) (*BundleFixture, error) {
	a, err := TokenFor(ctx, base, DemoEnterprise, DemoPassword)
	if err != nil {
		return nil, err
	}
	var list []struct {
		ID         int64             `json:"id"`
		Code       string            `json:"code"`
		Components []json.RawMessage `json:"components"`
	}
	if err := a.Do(ctx, "GET", "/api/v1/bundles", nil, &list); err != nil {
		return nil, err
	}
	f := &BundleFixture{Applicant: a}
	for _, b := range list {
		if b.Code == RestaurantBundle {
			f.BundleID, f.Components = b.ID, len(b.Components)
		}
	}
	if f.BundleID == 0 {
		return nil, fmt.Errorf("bench: the demo has no bundle %s", RestaurantBundle)
	}
	var cl struct {
		Materials []struct {
			Key string `json:"key"`
		} `json:"materials"`
	}
	if err := a.Do(ctx, "POST", fmt.Sprintf("/api/v1/bundles/%d/checklist", f.BundleID), map[string]any{}, &cl); err != nil {
		return nil, err
	}
	var refs []MaterialRef
	for j, m := range cl.Materials {
		req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/uploads", bytes.NewReader(SamplePDF(900_000, j)))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/pdf")
		var info struct {
			Hash string `json:"hash"`
		}
		if err := a.Send(req, &info); err != nil {
			return nil, fmt.Errorf("upload %s: %w", m.Key, err)
		}
		refs = append(refs, MaterialRef{Key: m.Key, BlobHash: info.Hash})
	}
	form := map[string]any{"company_name": "广安市蜀味川菜馆有限公司", "legal_rep": "张三", "legal_rep_id": "511602199003071232",
		"address": "广安市广安区北辰路88号", "capital": 50, "area": 120, "sign_area": 12, "phone": "13800138000"}
	f.Body, err = json.Marshal(map[string]any{"form": form, "materials": refs})
	return f, err
}

// SubmitRequest is one application for the bundle with an idempotency key.
func (f *BundleFixture) SubmitRequest(key string) (*http.Request, error) {
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/bundles/%d/cases", f.Applicant.Base, f.BundleID), bytes.NewReader(f.Body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	f.Applicant.Sign(req)
	return req, nil
}

// Submit applies once and returns the parent case's number.
func (f *BundleFixture) Submit(ctx context.Context, key string) (string, error) {
	req, err := f.SubmitRequest(key)
	if err != nil {
		return "", err
	}
	var out struct {
		Number string `json:"number"`
	}
	err = f.Applicant.Send(req.WithContext(ctx), &out)
	return out.Number, err
}
