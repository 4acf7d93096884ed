// Package sealer protects personal data at rest: values are encrypted with
// SM4-GCM (GB/T 32907) and looked up through a keyed SM3 HMAC "blind index",
// so the database never holds an ID number or phone in the clear and an
// equality lookup still works.
package sealer

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// KeySize is the size of the master key in bytes.
const KeySize = 32

// Sealer encrypts and indexes personal values with keys derived from one
// master key.
type Sealer struct {
	aead     cipher.AEAD
	indexKey []byte
	master   []byte
}

// New derives the encryption and index keys from a 32-byte master key.
func New(master []byte) (*Sealer, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("sealer: master key must be %d bytes, got %d", KeySize, len(master))
	}
	encKey := derive(master, "tongban/sm4-gcm")[:16]
	block, err := sm4.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, indexKey: derive(master, "tongban/blind-index"), master: master}, nil
}

// Derive returns a 32-byte key for one purpose (label), derived from the
// master key with SM3-HMAC, so each use has its own key and none is stored.
func (s *Sealer) Derive(label string) []byte { return derive(s.master, label) }

// AuditChainKey keys the audit log's hash chain.
func (s *Sealer) AuditChainKey() []byte { return s.Derive("tongban/audit-chain") }

func derive(master []byte, label string) []byte {
	m := hmac.New(sm3.New, master)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Seal encrypts a value; "" stays "".
func (s *Sealer) Seal(plain string) string {
	if plain == "" {
		return ""
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("sealer: no randomness: " + err.Error())
	}
	out := s.aead.Seal(nonce, nonce, []byte(plain), nil)
	return base64.RawStdEncoding.EncodeToString(out)
}

// Open decrypts a sealed value.
func (s *Sealer) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", errors.New("sealer: malformed sealed value")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", errors.New("sealer: value does not open with this key (wrong TONGBAN_SECRET?)")
	}
	return string(plain), nil
}

// Index is the deterministic blind index of a value, for equality lookups
// and unique constraints; "" stays "".
func (s *Sealer) Index(plain string) string {
	if plain == "" {
		return ""
	}
	m := hmac.New(sm3.New, s.indexKey)
	m.Write([]byte(plain))
	return hex.EncodeToString(m.Sum(nil))
}

// ParseKey reads a master key written as 64 hex characters.
func ParseKey(s string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("the secret must be %d hex characters", KeySize*2)
	}
	return key, nil
}

// LoadOrCreateKeyFile returns the master key stored in path, creating it
// (mode 0600) with a fresh random key on first start. Several app servers
// must share one key: set TONGBAN_SECRET on all of them instead.
func LoadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := ParseKey(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return key, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		return nil, false, err
	}
	return key, true, f.Sync()
}
