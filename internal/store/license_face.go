package store

import (
	"encoding/json"
	"fmt"

	"github.com/tongban/tongban"
)

// sealFace splits a licence's face for storage: an item whose value is a
// 公民身份号码 is personal data, so it goes sealed into face_sealed (a
// sealed JSON object by printed name) and licenses.face keeps it masked;
// every other item stays in the clear in licenses.face.
func (s *Store) sealFace(face map[string]string) (clear, sealed string, err error) {
	shown := make(map[string]string, len(face))
	hidden := map[string]string{}
	for name, v := range face {
		if id, err := tongban.ParseIDNumber(v); err == nil {
			hidden[name], shown[name] = v, id.Masked()
			continue
		}
		shown[name] = v
	}
	if len(hidden) > 0 {
		raw, err := json.Marshal(hidden)
		if err != nil {
			return "", "", err
		}
		sealed = s.sealer.Seal(string(raw))
	}
	return jsonText(shown), sealed, nil
}

// openFace is the face as the licence states it: the clear items with the
// sealed ones put back.
func (s *Store) openFace(clear, sealed string) (map[string]string, error) {
	var face map[string]string
	if err := json.Unmarshal([]byte(clear), &face); err != nil {
		return nil, err
	}
	if sealed == "" {
		return face, nil
	}
	raw, err := s.sealer.Open(sealed)
	if err != nil {
		return nil, err
	}
	var hidden map[string]string
	if err := json.Unmarshal([]byte(raw), &hidden); err != nil {
		return nil, fmt.Errorf("sealed face: %w", err)
	}
	if face == nil {
		face = map[string]string{}
	}
	for name, v := range hidden {
		face[name] = v
	}
	return face, nil
}
