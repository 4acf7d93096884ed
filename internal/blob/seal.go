package blob

import (
	"bytes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"errors"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
	"github.com/tongban/tongban/internal/sealer"
)

// sealedMagic starts every encrypted file, so a plain one is never taken
// for sealed and the format can change later.
var sealedMagic = []byte("TBS1")

// keys encrypt files (SM4-GCM) and name them (HMAC-SM3), each with its own
// key derived from the platform secret once, when the store is opened.
type keys struct {
	aead    cipher.AEAD
	nameKey []byte
}

func newKeys(seal *sealer.Sealer) (keys, error) {
	block, err := sm4.NewCipher(seal.Derive("tongban/blob-sm4-gcm")[:16])
	if err != nil {
		return keys{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return keys{}, err
	}
	return keys{aead: aead, nameKey: seal.Derive("tongban/blob-name")}, nil
}

// name is the keyed hash of b in hex: equal bytes get equal names, and
// without the key nobody can tell which document a name stands for.
func (k keys) name(b []byte) string {
	m := hmac.New(sm3.New, k.nameKey)
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

func (k keys) seal(plain []byte) []byte {
	out := make([]byte, 0, len(sealedMagic)+k.aead.NonceSize()+len(plain)+k.aead.Overhead())
	out = append(out, sealedMagic...)
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("blob: no randomness: " + err.Error())
	}
	out = append(out, nonce...)
	return k.aead.Seal(out, nonce, plain, sealedMagic)
}

func (k keys) open(sealed []byte) ([]byte, error) {
	n := k.aead.NonceSize()
	if !bytes.HasPrefix(sealed, sealedMagic) || len(sealed) < len(sealedMagic)+n {
		return nil, errors.New("blob: not a sealed file")
	}
	body := sealed[len(sealedMagic):]
	plain, err := k.aead.Open(nil, body[:n], body[n:], sealedMagic)
	if err != nil {
		return nil, errors.New("blob: file does not open with this key (wrong TONGBAN_SECRET?)")
	}
	return plain, nil
}
