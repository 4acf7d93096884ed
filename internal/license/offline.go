package license

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
)

// Signed is a licence in its signed form, as GET
// /api/v1/licenses/{identifier}/signed answers it (payload and signature
// base64 in JSON).
type Signed struct {
	Payload   []byte `json:"payload"`
	Signature []byte `json:"signature"`
	Algorithm string `json:"algorithm"`
	SignerID  string `json:"signer_id"`
	KeyID     string `json:"key_id"`
}

// Checked is what an offline check of a signed licence found: the key that
// verified it and the signed fields, in their order.
type Checked struct {
	Identifier string
	Key        tongban.SealKey
	Fields     [][2]string // name, value
}

// Field is a signed field's value ("" if absent).
func (c *Checked) Field(name string) string {
	for _, f := range c.Fields {
		if f[0] == name {
			return f[1]
		}
	}
	return ""
}

// CheckSigned verifies a signed licence offline against published seal keys
// (a saved copy of GET /api/v1/seals): the algorithm and signer ID are the
// ones Tongban uses; the key its key_id names is published and is the key
// that ID names (SHA-256 of its DER); the SM2 signature verifies over the
// exact payload; the payload is in the documented byte form and its
// identifier's GB/T 36904 check character is right. It says nothing of the
// licence's current status (注销, 变更): that needs the online check.
func CheckSigned(s Signed, keys []tongban.SealKey) (*Checked, error) {
	switch {
	case s.Algorithm != Algorithm:
		return nil, fmt.Errorf("算法为 %q，应为 %s", s.Algorithm, Algorithm)
	case s.SignerID != SignerID:
		return nil, fmt.Errorf("签名者 ID 为 %q，应为 %s", s.SignerID, SignerID)
	case len(s.Payload) == 0 || len(s.Signature) == 0:
		return nil, fmt.Errorf("缺少签名原文或签名")
	}
	var key *tongban.SealKey
	for i := range keys {
		if keys[i].ID == s.KeyID {
			key = &keys[i]
		}
	}
	if key == nil {
		return nil, fmt.Errorf("公布的印章公钥中没有密钥 %s", s.KeyID)
	}
	block, _ := pem.Decode([]byte(key.PublicPEM))
	if block == nil {
		return nil, fmt.Errorf("密钥 %s 的公钥不是 PEM", key.ID)
	}
	if sum := sha256.Sum256(block.Bytes); hex.EncodeToString(sum[:8]) != key.ID {
		return nil, fmt.Errorf("公布的密钥 %s 与其公钥不符", key.ID)
	}
	ok, err := VerifySignature(key.PublicPEM, s.Payload, s.Signature)
	if err != nil {
		return nil, fmt.Errorf("密钥 %s：%v", key.ID, err)
	}
	if !ok {
		return nil, fmt.Errorf("签名核验不通过：证照内容被改动，或并非密钥 %s 所签", key.ID)
	}
	fields, err := parseCanonical(s.Payload)
	if err != nil {
		return nil, err
	}
	c := &Checked{Key: *key, Fields: fields}
	id, err := ParseIdentifier(c.Field("identifier"))
	if err != nil {
		return nil, fmt.Errorf("证照标识：%s", tongban.AsError(err).Message)
	}
	c.Identifier = id.String()
	return c, nil
}

// parseCanonical reads Canonical's byte form back into its fields.
func parseCanonical(p []byte) ([][2]string, error) {
	if !bytes.HasSuffix(p, []byte("\n")) {
		return nil, fmt.Errorf("签名原文不以换行结束")
	}
	lines := strings.Split(strings.TrimSuffix(string(p), "\n"), "\n")
	if lines[0] != CanonicalHeader {
		return nil, fmt.Errorf("签名原文不是 %s 格式", CanonicalHeader)
	}
	var out [][2]string
	for i, line := range lines[1:] {
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			return nil, fmt.Errorf("签名原文第%d行格式有误", i+2)
		}
		out = append(out, [2]string{name, value})
	}
	return out, nil
}
