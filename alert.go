package tongban

import (
	"context"
	"time"
)

// AlertFullReads: one staff member showed more full ID numbers or phones
// in an hour than configured (identity.Service.FullReadsPerHour).
const AlertFullReads = "full_reads"

// StaffAlert is a pattern of staff behaviour supervisors must look at
// (电子监察), shown on the supervision page of the actor's region.
type StaffAlert struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	ActorID    int64     `json:"actor_id"`
	ActorName  string    `json:"actor"` // name, username, department and role: supervisors need to know who
	OrgID      int64     `json:"org_id,omitempty"`
	RegionCode string    `json:"region_code"`
	Count      int       `json:"count"` // how many, since Since
	Since      time.Time `json:"since"`
	Detail     string    `json:"detail,omitempty"`
}

// StaffAlertFilter narrows a listing of alerts.
type StaffAlertFilter struct {
	ActorID int64
	Kind    string
	Since   time.Time
	Limit   int // 0 = 100
}

// StaffAlertStore keeps staff alerts.
type StaffAlertStore interface {
	CreateStaffAlert(ctx context.Context, a *StaffAlert) error
	// StaffAlerts lists alerts, newest first.
	StaffAlerts(ctx context.Context, f StaffAlertFilter) ([]*StaffAlert, error)
}
