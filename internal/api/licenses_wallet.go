package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/notice"
	"github.com/tongban/tongban/internal/workflow"
)

// licenseWalletRoutes: one licence for its holder (and the staff the
// holder's use lets read it), its face PDF, and share links (加注件).
func (a *API) licenseWalletRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/licenses/usable", Tag: "licenses", Access: signedIn,
		Summary: "用证：申请某实施清单时，当前账户可用于各项材料的有效电子证照（按材料的标准材料对应的证照类型）。" +
			"提交申请时以 status 为 e_license、ref 为证照标识、consent 为 true（及可选的 reason 用证事由）授权本次办件使用；未授权则须提交材料",
		Query: []Param{{Name: "listing_id", Required: true, Description: "实施清单 ID"}},
		Out:   []exchange.LicenceOffer{}, handle: a.usableLicences})
	a.add(Route{Method: "GET", Path: "/api/v1/licenses/{identifier}", Tag: "licenses", Access: signedIn,
		Summary: "一张电子证照：元数据、照面、核验结论与核验页地址；持证人另见加注件与用证授权。限持证人、发证机关工作人员，" +
			"以及持证人授权用证的办件中有权查看该办件的工作人员（每次查看记入持证人的数据使用记录）；其他人得到 not_found",
		Out: licenseDetail{}, handle: a.licenseDetail})
	a.add(Route{Method: "GET", Path: "/api/v1/licenses/{identifier}/pdf", Tag: "licenses", Access: signedIn,
		Summary:  "电子证照照面 PDF（发证机关印章、核验二维码 {public-url}/v/{token}），访问限制同 GET /api/v1/licenses/{identifier}",
		Produces: "application/pdf", handle: a.licensePDF})
	a.add(Route{Method: "POST", Path: "/api/v1/licenses/{identifier}/shares", Tag: "licenses", Access: signedIn,
		Summary: "持证人制作加注件：写明用途（仅供办理…使用）与最后有效日期（今天起至多一年，且不晚于证照有效期），" +
			"得到不可猜测的链接 {public-url}/v/{token}，过期或撤销后拒绝访问，每次访问均记录",
		In: license.ShareRequest{}, Out: shareOut{}, Status: http.StatusCreated, Limit: 16 << 10, handle: a.licenseShare})
	a.add(Route{Method: "POST", Path: "/api/v1/licenses/{identifier}/shares/{id}/revoke", Tag: "licenses", Access: signedIn,
		Summary: "持证人撤销加注件，链接随即不能再打开", Out: shareOut{}, handle: a.licenseShareRevoke})
}

// licenseDetail is a licence as its reader may see it.
type licenseDetail struct {
	License      *tongban.License          `json:"license"` // the holder's ID number masked
	Verification *license.Verification     `json:"verification"`
	VerifyURL    string                    `json:"verify_url,omitempty"` // the QR code's link; the holder only
	Shares       []shareOut                `json:"shares,omitempty"`     // the holder only
	Consents     []*tongban.LicenseConsent `json:"consents,omitempty"`   // the holder only
}

// shareOut is a share link with its address and 加注 text.
type shareOut struct {
	*tongban.LicenseLink
	URL        string `json:"url"`
	Annotation string `json:"annotation"`
	Open       bool   `json:"open"`
}

// readableLicense is the licence named in the path if the caller may read
// it: the holder; staff of the issuing org; staff who may see a case the
// holder authorised its use for. A staff read is recorded in the holder's
// data-use record. Anyone else learns nothing, not even that it exists.
func (a *API) readableLicense(r *http.Request) (*tongban.License, bool, error) {
	ctx, u := r.Context(), httpx.User(r.Context())
	id := r.PathValue("identifier")
	l, err := a.Store.LicenseByIdentifier(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if l.HolderID == u.ID {
		return l, true, nil
	}
	if u.Kind == tongban.UserStaff {
		why, err := a.staffLicenseReason(ctx, r, u, l)
		if err != nil {
			return nil, false, err
		}
		if why != nil {
			why.SubjectID, why.At, why.Kind, why.ActorID = l.HolderID, a.Workflow.Clock.Now(), tongban.DataUseLicenseRead, u.ID
			why.Resource, why.Fields = l.Identifier, []string{l.TypeName}
			if err := a.Store.RecordDataUse(ctx, why); err != nil {
				return nil, false, err
			}
			return l, false, nil
		}
	}
	return nil, false, tongban.Errorf(tongban.ENotFound, "电子证照 %s 不存在", id)
}

// staffLicenseReason is why staff u may read l (a data use without its
// subject and time), or nil.
func (a *API) staffLicenseReason(ctx context.Context, r *http.Request, u *tongban.User, l *tongban.License) (*tongban.DataUse, error) {
	org := func(id int64) string {
		if o, err := a.Store.Org(ctx, id); err == nil {
			return o.Name
		}
		return ""
	}
	if a.Identity.RequireOrg(ctx, u, identity.PermCaseReview, l.IssuerID) == nil {
		name := org(l.IssuerID)
		return &tongban.DataUse{ActorName: name + " 发证机关工作人员", OrgID: l.IssuerID, OrgName: name,
			Reason: "发证机关查看本机关签发的电子证照"}, nil
	}
	consents, err := a.Store.LicenseConsents(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range consents {
		cs, err := a.Workflow.ByNumber(ctx, workflow.Request{Actor: u, IP: httpx.ClientIP(r, a.Proxies)}, c.CaseNumber)
		if err != nil {
			continue // not a case this member of staff may see
		}
		name := org(cs.OrgID)
		return &tongban.DataUse{ActorName: name + " 承办人员", OrgID: cs.OrgID, OrgName: name, CaseNumber: c.CaseNumber,
			Reason: "办理经持证人授权用证的办件：" + c.Reason}, nil
	}
	return nil, nil
}

func (a *API) licenseDetail(w http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), a.Workflow.Clock.Now()
	l, holder, err := a.readableLicense(r)
	if err != nil {
		return err
	}
	out := licenseDetail{License: license.MaskedFace(l)}
	if out.Verification, err = license.Verify(ctx, a.Store, l.Identifier, now); err != nil {
		return err
	}
	if holder {
		face, err := license.FaceLinkOf(ctx, a.Store, l, now)
		if err != nil {
			return err
		}
		out.VerifyURL = a.PublicURL + license.VerifyPath(face.Token)
		shares, err := a.Store.ShareLinks(ctx, l.ID)
		if err != nil {
			return err
		}
		for _, s := range shares {
			out.Shares = append(out.Shares, a.shareOf(s, now))
		}
		if out.Consents, err = a.Store.LicenseConsents(ctx, l.ID); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) shareOf(s *tongban.LicenseLink, now time.Time) shareOut {
	return shareOut{LicenseLink: s, URL: a.PublicURL + license.VerifyPath(s.Token), Annotation: license.Annotation(s), Open: s.Open(now)}
}

func (a *API) licensePDF(w http.ResponseWriter, r *http.Request) error {
	l, _, err := a.readableLicense(r)
	if err != nil {
		return err
	}
	f, err := license.FaceOf(r.Context(), a.Store, l, a.PublicURL, a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	b, err := license.FacePDF(f, notice.DefaultFont)
	if err != nil {
		a.Log.Error("licence pdf", "identifier", l.Identifier, "err", err)
		return tongban.Errorf(tongban.EUnavailable, "PDF 暂时无法生成")
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="license-`+l.Number+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(b)
	return err
}

// ownLicense is the caller's own licence named in the path.
func (a *API) ownLicense(r *http.Request) (*tongban.User, *tongban.License, error) {
	u := httpx.User(r.Context())
	l, err := a.Store.LicenseByIdentifier(r.Context(), r.PathValue("identifier"))
	if err == nil && l.HolderID != u.ID {
		err = tongban.Errorf(tongban.ENotFound, "电子证照 %s 不存在", r.PathValue("identifier"))
	}
	return u, l, err
}

func (a *API) licenseShare(w http.ResponseWriter, r *http.Request) error {
	u, l, err := a.ownLicense(r)
	if err != nil {
		return err
	}
	var in license.ShareRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	now := a.Workflow.Clock.Now()
	k, err := license.Share(r.Context(), a.Store, u, l, in, now)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.shareOf(k, now))
}

func (a *API) licenseShareRevoke(w http.ResponseWriter, r *http.Request) error {
	_, l, err := a.ownLicense(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return tongban.Errorf(tongban.ENotFound, "没有该加注件")
	}
	now := a.Workflow.Clock.Now()
	k, err := license.RevokeShare(r.Context(), a.Store, a.request(r), l, id, now)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.shareOf(k, now))
}

func (a *API) usableLicences(w http.ResponseWriter, r *http.Request) error {
	id, err := queryID(r, "listing_id")
	if err != nil {
		return err
	}
	if id == 0 {
		return tongban.FieldError("listing_id", "请指明实施清单（listing_id）")
	}
	l, err := a.Store.Listing(r.Context(), id)
	if err != nil {
		return err
	}
	offers, err := exchange.Licenses{}.Offers(r.Context(), a.Store, httpx.User(r.Context()), l.Materials, a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return writeJSON(w, http.StatusOK, nonNil(offers))
}
