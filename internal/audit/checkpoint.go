package audit

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/tongban/tongban"
)

// Checkpoint is a signed statement about the chain, kept outside the
// database: "entry Seq has hash Hash" (KindHead), or, after a retention
// purge, "the chain now starts after entry Seq, whose hash was Hash"
// (KindGenesis). A database writer can neither forge one (it lacks the SM2
// key) nor take one back (the file is append-only and copies go to a sink).
type Checkpoint struct {
	Kind string    `json:"kind"`
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	Sig  string    `json:"sig"` // SM2 (GB/T 32918) over the other fields, ASN.1, base64
}

const (
	KindHead    = "head"
	KindGenesis = "genesis"
)

func (c Checkpoint) message() []byte {
	return []byte(strings.Join([]string{"tongban-audit-checkpoint", c.Kind, strconv.FormatInt(c.Seq, 10), c.Hash,
		c.At.UTC().Format(time.RFC3339Nano)}, "\x1f"))
}

// SigningKey is the platform's SM2 key for checkpoints, derived from the
// platform secret (so every server with TONGBAN_SECRET signs alike and no
// further key file needs guarding): the private scalar is 1 + (SM3-HMAC of
// the secret mod n−1).
func SigningKey(master []byte) (*sm2.PrivateKey, error) {
	m := hmac.New(sm3.New, master)
	m.Write([]byte("tongban/audit-checkpoint-sm2"))
	n := new(big.Int).Sub(sm2.P256().Params().N, big.NewInt(1))
	d := new(big.Int).Mod(new(big.Int).SetBytes(m.Sum(nil)), n)
	return sm2.NewPrivateKeyFromInt(d.Add(d, big.NewInt(1)))
}

// CheckpointFile is the name of the append-only checkpoint file in the data directory.
const CheckpointFile = "audit-checkpoints.jsonl"

// CheckpointEvery is how often a busy server writes a checkpoint of the head.
const CheckpointEvery = 10 * time.Second

// Anchor writes checkpoints to an append-only file (one JSON line each) and
// to any remote sinks, and reads them back to verify the chain.
type Anchor struct {
	File  string
	Key   *sm2.PrivateKey
	Sinks []Sink
	Clock tongban.Clock
	Log   *slog.Logger

	mu       sync.Mutex // one checkpoint at a time from this server
	lastSeq  int64
	lastTime time.Time
}

// Sign fills c's signature.
func (a *Anchor) Sign(c *Checkpoint) error {
	sig, err := a.Key.Sign(rand.Reader, c.message(), sm2.DefaultSM2SignerOpts)
	if err != nil {
		return err
	}
	c.Sig = base64.StdEncoding.EncodeToString(sig)
	return nil
}

// Valid reports whether c carries this platform's signature.
func (a *Anchor) Valid(c Checkpoint) bool {
	sig, err := base64.StdEncoding.DecodeString(c.Sig)
	return err == nil && sm2.VerifyASN1WithSM2(&a.Key.PublicKey, nil, c.message(), sig)
}

// CheckpointHead writes a checkpoint of the chain's head if it moved since
// this server's last one and at least every has passed (0: always). Call it
// after the seal's transaction: it writes files and calls sinks.
func (a *Anchor) CheckpointHead(ctx context.Context, st tongban.Store, every time.Duration) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	state, err := st.AuditChainState(ctx)
	if err != nil {
		return err
	}
	now := a.Clock.Now().UTC()
	if state.HeadSeq == 0 || state.HeadSeq == a.lastSeq || (every > 0 && now.Sub(a.lastTime) < every) {
		return nil
	}
	if err := a.Write(ctx, Checkpoint{Kind: KindHead, Seq: state.HeadSeq, Hash: state.HeadHash, At: now}); err != nil {
		return err
	}
	a.lastSeq, a.lastTime = state.HeadSeq, now
	return nil
}

// Write signs c, appends it to the file (synced before returning) and sends
// it to every sink. The file is what verification reads; a sink that fails
// is reported but does not undo the file.
func (a *Anchor) Write(ctx context.Context, c Checkpoint) error {
	if err := a.Sign(&c); err != nil {
		return err
	}
	line, err := json.Marshal(c)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(a.File, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit checkpoint file: %w", err)
	}
	out := append(line, '\n')
	if info, err := f.Stat(); err == nil && info.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, info.Size()-1); err == nil && last[0] != '\n' {
			out = append([]byte{'\n'}, out...) // end a line torn by a crash first
		}
	}
	_, werr := f.Write(out)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("audit checkpoint file: %w", werr)
	}
	var errs []error
	for _, s := range a.Sinks {
		if err := s.Send(ctx, c, line); err != nil {
			errs = append(errs, fmt.Errorf("audit checkpoint sink %s: %w", s, err))
		}
	}
	return errors.Join(errs...)
}

// Checkpoints reads the file. A line that does not parse or whose
// signature fails is returned in bad by line number: someone wrote it who
// does not hold the key.
func (a *Anchor) Checkpoints() (good []Checkpoint, bad []int, err error) {
	f, err := os.Open(a.File)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c Checkpoint
		if json.Unmarshal(sc.Bytes(), &c) != nil {
			continue // torn by a crash in the middle of a write: it vouches for nothing
		}
		if !a.Valid(c) {
			bad = append(bad, n)
			continue
		}
		good = append(good, c)
	}
	return good, bad, sc.Err()
}

// Verify checks the chain against the key and against every checkpoint.
func (a *Anchor) Verify(ctx context.Context, st tongban.Store) (Report, error) {
	cps, bad, err := a.Checkpoints()
	if err != nil {
		return Report{}, err
	}
	rep, err := verify(ctx, st, cps)
	if err == nil && rep.OK() && len(bad) > 0 {
		rep.BadCheckpointLine = bad[0]
		rep.Reason = fmt.Sprintf("检查点文件第 %d 行签名无效，检查点被伪造或改动 (checkpoint file line %d: bad signature)", bad[0], bad[0])
	}
	return rep, err
}
