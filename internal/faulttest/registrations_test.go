package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/bench"
)

// registrations is the workload of citizens registering: each write is a
// user row and an audit entry in one transaction.
type registrations struct{}

func (registrations) prepare(t *testing.T, s *tbServer) {}

func (registrations) afterRestart(t *testing.T, s *tbServer) {}

func (registrations) write(ctx context.Context, client *http.Client, s *tbServer, n int) (string, bool) {
	id := bench.CitizenID(n)
	b, _ := json.Marshal(map[string]string{"name": "崩溃测试", "id_number": id, "phone": bench.Phone(n), "password": "Tongban@2026"})
	req, err := http.NewRequestWithContext(ctx, "POST", s.url("/api/v1/register"), bytes.NewReader(b))
	if err != nil {
		return "", false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return id, resp.StatusCode == http.StatusCreated
}

func (registrations) verify(t *testing.T, a *app.App, s *tbServer, acked []string) {
	ctx := context.Background()
	for _, id := range acked {
		u, err := a.Store.UserByLogin(ctx, id)
		if err != nil {
			t.Errorf("acknowledged registration %s lost: %v", id, err)
			continue
		}
		if u.Kind != tongban.UserCitizen {
			t.Errorf("registration %s: kind %s", id, u.Kind)
		}
	}
	t.Logf("%d acknowledged registrations all present", len(acked))
}
