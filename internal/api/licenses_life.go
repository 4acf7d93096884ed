package api

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/license"
)

// licenseLifeRoutes: the issuing department's actions on its e-licences —
// 注销, change (a new version), 历史导入, seal key rotation. Each is audited.
func (a *API) licenseLifeRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/licenses/{identifier}/revoke", Tag: "licenses", Access: staffOnly,
		Summary: "注销电子证照（发证机构的部门管理员或其接入系统）：须写明原因；注销后核验显示“已注销”，证照记录保留",
		In:      revokeInput{}, Out: licenseState{}, handle: a.revokeLicense})
	a.add(Route{Method: "POST", Path: "/api/v1/licenses/{identifier}/change", Tag: "licenses", Access: staffOnly,
		Summary: "变更电子证照（发证机构）：按照面项名称改写照面、调整有效期至，生成新版本（同一证照编号，版本号加一，以当前印章密钥签名），原版本“已变更”",
		In:      license.Change{}, Out: licenseState{}, Status: http.StatusCreated, handle: a.changeLicense})
	a.add(Route{Method: "POST", Path: "/api/v1/licenses/import", Tag: "licenses", Access: staffOnly,
		Summary: "历史导入（部门接入系统的 API 令牌）：导入通办上线前已核发的证照；逐条校验证照类型、持证主体代码校验位、日期、重复，" +
			"任何一条有误则全部不导入并按条列出错误；导入的证照以本部门印章密钥签名，标记“历史导入”",
		In: importInput{}, Out: license.ImportResult{}, Status: http.StatusCreated, handle: a.importLicenses})
	a.add(Route{Method: "POST", Path: "/api/v1/seals/rotate", Tag: "licenses", Access: staffOnly,
		Summary: "轮换发证机构的电子印章密钥（系统管理员或本部门管理员）：此后签发的证照用新密钥签名；旧公钥停用但继续在 /api/v1/seals 公布，已签发的证照照常验签",
		In:      rotateInput{}, Out: tongban.SealKey{}, Status: http.StatusCreated, handle: a.rotateSealKey})
}

// licenseState is what the department's actions answer: the licence's
// state, without its holder or face (those are read, and recorded, by GET
// /api/v1/licenses/{identifier}).
type licenseState struct {
	Identifier   string                `json:"identifier"`
	TypeName     string                `json:"type_name"`
	Number       string                `json:"number"`
	Version      int                   `json:"version"`
	Status       tongban.LicenseStatus `json:"status"`
	StatusReason string                `json:"status_reason,omitempty"`
	Replaces     string                `json:"replaces,omitempty"`
	KeyID        string                `json:"key_id"`
}

func stateOf(l *tongban.License) licenseState {
	return licenseState{Identifier: l.Identifier, TypeName: l.TypeName, Number: l.Number, Version: l.Version,
		Status: l.Status, StatusReason: l.StatusReason, Replaces: l.Replaces, KeyID: l.KeyID}
}

type revokeInput struct {
	Reason string `json:"reason"` // 注销原因
}

type importInput struct {
	OrgID int64               `json:"org_id,omitempty"` // the issuing org; omitted: the caller's own
	Rows  []license.ImportRow `json:"rows"`             // at most 1000
}

type rotateInput struct {
	OrgID int64 `json:"org_id,omitempty"` // the issuing org; omitted: the caller's own
}

// licenses is the licence life service over the API's store and clock.
func (a *API) licenses() *license.Service {
	return &license.Service{Store: a.Store, Clock: a.Workflow.Clock}
}

// managedOrg is the org a request names, or the caller's own.
func managedOrg(r *http.Request, named int64) (int64, error) {
	if named != 0 {
		return named, nil
	}
	return license.ManagedOrg(httpx.User(r.Context()))
}

func (a *API) revokeLicense(w http.ResponseWriter, r *http.Request) error {
	var in revokeInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	l, err := a.licenses().Revoke(r.Context(), a.request(r), r.PathValue("identifier"), in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, stateOf(l))
}

func (a *API) changeLicense(w http.ResponseWriter, r *http.Request) error {
	var in license.Change
	if err := decode(w, r, &in); err != nil {
		return err
	}
	l, err := a.licenses().Change(r.Context(), a.request(r), r.PathValue("identifier"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, stateOf(l))
}

func (a *API) importLicenses(w http.ResponseWriter, r *http.Request) error {
	var in importInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	org, err := managedOrg(r, in.OrgID)
	if err != nil {
		return err
	}
	res, err := a.licenses().Import(r.Context(), a.request(r), org, in.Rows)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, res)
}

func (a *API) rotateSealKey(w http.ResponseWriter, r *http.Request) error {
	var in rotateInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	org, err := managedOrg(r, in.OrgID)
	if err != nil {
		return err
	}
	k, err := a.licenses().RotateSealKey(r.Context(), a.request(r), org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, k)
}
