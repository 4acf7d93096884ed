package api

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/oidc"
)

// Department systems signing people in through Tongban (docs/integration.md).

type oidcClientAnswer struct {
	*tongban.OIDCClient
	// ClientSecret is shown once, when a confidential client is registered
	// or its secret replaced; Tongban keeps only a hash of it.
	ClientSecret string `json:"client_secret,omitempty"`
}

type oidcClientList struct {
	Clients []*tongban.OIDCClient `json:"clients"`
}

type oidcClientChange struct {
	Disabled  *bool `json:"disabled,omitempty"`
	NewSecret bool  `json:"new_secret,omitempty"`
}

func (a *API) oidcRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/oidc/clients", Summary: "登记接入系统（OIDC 客户端，系统管理员）；机密客户端的密钥只在此返回一次",
		Tag: "integration", Access: staffOnly, In: oidc.ClientInput{}, Out: oidcClientAnswer{}, Status: http.StatusCreated,
		handle: a.registerOIDCClient})
	a.add(Route{Method: "GET", Path: "/api/v1/oidc/clients", Summary: "本人可管理的接入系统", Tag: "integration",
		Access: staffOnly, Out: oidcClientList{}, handle: a.listOIDCClients})
	a.add(Route{Method: "PATCH", Path: "/api/v1/oidc/clients/{client_id}", Summary: "停用或启用接入系统（停用即吊销其令牌），或更换密钥",
		Tag: "integration", Access: staffOnly, In: oidcClientChange{}, Out: oidcClientAnswer{}, handle: a.changeOIDCClient})
}

func (a *API) registerOIDCClient(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.OIDC != nil, "统一身份认证"); err != nil {
		return err
	}
	var in oidc.ClientInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, secret, err := a.OIDC.Register(r.Context(), a.request(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, oidcClientAnswer{OIDCClient: c, ClientSecret: secret})
}

func (a *API) listOIDCClients(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.OIDC != nil, "统一身份认证"); err != nil {
		return err
	}
	cs, err := a.OIDC.Clients(r.Context(), a.request(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, oidcClientList{Clients: nonNil(cs)})
}

func (a *API) changeOIDCClient(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.OIDC != nil, "统一身份认证"); err != nil {
		return err
	}
	var in oidcClientChange
	if err := decode(w, r, &in); err != nil {
		return err
	}
	id, req := r.PathValue("client_id"), a.request(r)
	if in.Disabled != nil {
		if err := a.OIDC.SetDisabled(r.Context(), req, id, *in.Disabled); err != nil {
			return err
		}
	}
	secret := ""
	if in.NewSecret {
		var err error
		if secret, err = a.OIDC.NewSecret(r.Context(), req, id); err != nil {
			return err
		}
	}
	cs, err := a.OIDC.Clients(r.Context(), req)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ClientID == id {
			return writeJSON(w, http.StatusOK, oidcClientAnswer{OIDCClient: c, ClientSecret: secret})
		}
	}
	return tongban.Errorf(tongban.ENotFound, "接入系统 %s 不存在", id)
}
