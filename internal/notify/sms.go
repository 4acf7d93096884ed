package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/outbox"
)

// SMS sends text messages. Implementations: HTTPSMS (a provider's HTTP
// API) and FileSMS (a development sink).
type SMS interface {
	SendSMS(ctx context.Context, to tongban.Phone, text string) error
}

// FileSMS appends each message to a file instead of sending it: the
// development and demo default, so that someone trying Tongban can read the
// codes it "sends". Never use it for real people.
type FileSMS struct {
	Path  string
	Clock tongban.Clock

	mu sync.Mutex
}

// SendSMS appends "time<TAB>number<TAB>text" as one line.
func (f *FileSMS) SendSMS(_ context.Context, to tongban.Phone, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o750); err != nil {
		return err
	}
	file, err := os.OpenFile(f.Path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	now := time.Now()
	if f.Clock != nil {
		now = f.Clock.Now()
	}
	line := fmt.Sprintf("%s\t%s\t%s\n", now.In(calendar.Location()).Format("2006-01-02 15:04:05"), to.Reveal(), text)
	if _, err := file.WriteString(line); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// HTTPSMS sends through an SMS provider's HTTP API, or a gateway a city
// runs in front of its provider: POST URL with
//
//	{"phone": "13800138000", "text": "【通办】…", "sign": "通办"}
//
// signed like a webhook delivery: Tongban-Key names the sender,
// Tongban-Timestamp and Tongban-Signature (v1=hex(HMAC-SHA256(secret,
// timestamp + "." + body))) prove it. Any 2xx answer is success.
type HTTPSMS struct {
	URL, Key, Secret, Sign string
	Client                 *http.Client // nil: 10 s timeout
	Clock                  tongban.Clock
}

func (h *HTTPSMS) SendSMS(ctx context.Context, to tongban.Phone, text string) error {
	body, err := json.Marshal(map[string]string{"phone": to.Reveal(), "text": text, "sign": h.Sign})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	now := time.Now()
	if h.Clock != nil {
		now = h.Clock.Now()
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Tongban-Key", h.Key)
	req.Header.Set(outbox.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(outbox.HeaderSignature, outbox.Sign(h.Secret, now, body))
	client := h.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("短信网关答复 HTTP %d %s", resp.StatusCode, bytes.TrimSpace(snippet))
	}
	return nil
}
