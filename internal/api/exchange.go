package api

// exchangeRoutes are the routes of 只提交一次材料 (internal/exchange).
func (a *API) exchangeRoutes() {
	a.standardRoutes()
	a.libraryRoutes()
	a.dataRoutes()
	a.recordRoutes()
	a.reportRoutes()
}
