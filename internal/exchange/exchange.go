package exchange

import (
	"github.com/tongban/tongban"
)

// Exchange is every part of 只提交一次材料, wired once in internal/app and
// handed to the API and the pages as one dependency.
type Exchange struct {
	Standards *Standards
	Library   *Library
	Data      *Data
	Record    *Record
	Reports   *Reports
}

// New builds the parts over one store and clock. Shared data has no
// puller until one is set (pulls then fail as unavailable), and makes
// 企业登记信息 records from the enterprise accounts.
func New(st tongban.Store, clock tongban.Clock) *Exchange {
	cache := &StandardCache{Store: st, Clock: clock}
	return &Exchange{Standards: &Standards{Store: st, Clock: clock, Cache: cache}, Library: &Library{Store: st, Clock: clock},
		Data:   &Data{Store: st, Clock: clock, Local: map[string]LocalSource{EnterpriseResource: Accounts{Store: st}}},
		Record: &Record{Store: st}, Reports: &Reports{Store: st}}
}
