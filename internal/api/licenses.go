package api

import (
	"encoding/base64"
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/license"
)

// licenseRoutes: 电子证照 verification, published seal keys, the wallet.
func (a *API) licenseRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/licenses/verify", Tag: "licenses", Access: public,
		Summary: "电子证照核验（免登录）：凭证照标识（GB/T 36904）查询证照状态（有效、已过期、已注销、已变更、查无此证照）、" +
			"发证机构、持证主体（自然人脱敏）以及签名是否核验通过；标识格式或校验位错误时返回字段错误",
		Query: []Param{{Name: "id", Required: true, Description: "证照标识，如 1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"}},
		Out:   license.Verification{}, handle: a.verifyLicense})
	a.add(Route{Method: "GET", Path: "/api/v1/seals", Tag: "licenses", Access: public,
		Summary: "发证机构的电子印章公钥（SM2，PEM SubjectPublicKeyInfo），含轮换前的旧密钥，供任何人独立验签",
		Out:     []tongban.SealKey{}, handle: a.listSeals})
	a.add(Route{Method: "GET", Path: "/api/v1/licenses", Tag: "licenses", Access: signedIn,
		Summary: "我的证照：当前账户持有的电子证照（证件号码脱敏）",
		Out:     []tongban.License{}, handle: a.myLicenses})
	a.add(Route{Method: "GET", Path: "/api/v1/licenses/{identifier}/signed", Tag: "licenses", Access: signedIn,
		Summary: "下载签名证照（持证人本人）：签名原文（base64）、SM2-SM3 DER 签名（base64）、签名者 ID 与密钥标识，" +
			"可用 GET /api/v1/seals 公布的公钥以任何 SM2 实现（如 OpenSSL 3）独立验签",
		Out: signedLicense{}, handle: a.signedLicense})
}

// signedLicense is a licence in the form any SM2 implementation verifies.
type signedLicense struct {
	Payload   string `json:"payload"`   // base64 of the exact signed bytes (license.Canonical)
	Signature string `json:"signature"` // base64 of the DER signature
	Algorithm string `json:"algorithm"`
	SignerID  string `json:"signer_id"`
	KeyID     string `json:"key_id"`
}

func (a *API) signedLicense(w http.ResponseWriter, r *http.Request) error {
	u := httpx.User(r.Context())
	l, err := a.Store.LicenseByIdentifier(r.Context(), r.PathValue("identifier"))
	if err == nil && l.HolderID != u.ID {
		// Only the holder: the signed bytes carry the full ID number. Others
		// learn nothing, not even that it exists.
		err = tongban.Errorf(tongban.ENotFound, "电子证照 %s 不存在", r.PathValue("identifier"))
	}
	if err != nil {
		return err
	}
	payload, err := license.Canonical(l)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, signedLicense{Payload: base64.StdEncoding.EncodeToString(payload),
		Signature: base64.StdEncoding.EncodeToString(l.Signature), Algorithm: license.Algorithm,
		SignerID: license.SignerID, KeyID: l.KeyID})
}

func (a *API) verifyLicense(w http.ResponseWriter, r *http.Request) error {
	v, err := license.Verify(r.Context(), a.Store, r.URL.Query().Get("id"), a.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	// Every verification is logged (no personal data: the identifier and verdict).
	a.Log.Info("licence verified", "identifier", v.Identifier, "verdict", v.Verdict)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, v)
}

func (a *API) listSeals(w http.ResponseWriter, r *http.Request) error {
	keys, err := a.Store.SealKeys(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(keys))
}

func (a *API) myLicenses(w http.ResponseWriter, r *http.Request) error {
	u := httpx.User(r.Context())
	ls, err := a.Store.LicensesOfHolder(r.Context(), u.ID)
	if err != nil {
		return err
	}
	for i, l := range ls {
		ls[i] = license.MaskedFace(l)
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, nonNil(ls))
}
