package api

import "github.com/tongban/tongban"

// integrationRoutes: department systems (OIDC clients, webhooks) and
// people's notifications and one-time codes: binding a phone, 忘记密码 by
// SMS (docs/integration.md).
func (a *API) integrationRoutes() {
	a.oidcRoutes()
	a.webhookRoutes()
	a.phoneRoutes()
	a.passwordResetRoutes()
}

// needs answers 503 for a route whose part this server was built without.
func needs(present bool, what string) error {
	if !present {
		return tongban.Errorf(tongban.EUnavailable, "%s未启用", what)
	}
	return nil
}
