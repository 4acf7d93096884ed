package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
)

// Standards finds standard materials (标准材料) by code, name or alias, so a
// listing's material can name the one it is. Catalog admins keep the list
// (internal/exchange); the catalog only checks listings against it.
type Standards struct {
	byCode map[string]*tongban.StandardMaterial
	byName map[string]*tongban.StandardMaterial
}

// NewStandards indexes a list of standard materials. Names win over
// aliases when both match.
func NewStandards(list []*tongban.StandardMaterial) *Standards {
	s := &Standards{byCode: map[string]*tongban.StandardMaterial{}, byName: map[string]*tongban.StandardMaterial{}}
	for _, m := range list {
		s.byCode[m.Code] = m
	}
	for _, m := range list {
		for _, a := range m.Aliases {
			s.byName[normalizeText(a)] = m
		}
	}
	for _, m := range list {
		s.byName[normalizeText(m.Name)] = m
	}
	return s
}

// LoadStandards reads the list from the store.
func LoadStandards(ctx context.Context, st tongban.StandardMaterialStore) (*Standards, error) {
	list, err := st.StandardMaterials(ctx)
	if err != nil {
		return nil, err
	}
	return NewStandards(list), nil
}

// Find returns the standard material a code, name or alias names.
func (s *Standards) Find(v string) (*tongban.StandardMaterial, bool) {
	v = strings.TrimSpace(v)
	if m, ok := s.byCode[strings.ToUpper(v)]; ok {
		return m, true
	}
	m, ok := s.byName[normalizeText(v)]
	return m, ok
}

// Code returns the code of the standard material a code, name or alias names.
func (s *Standards) Code(v string) (string, bool) {
	m, ok := s.Find(v)
	if !ok {
		return "", false
	}
	return m.Code, true
}

// Suggest returns the standard material whose name or an alias is the
// material's name, for an admin who has not chosen one yet.
func (s *Standards) Suggest(materialName string) (*tongban.StandardMaterial, bool) {
	m, ok := s.byName[normalizeText(materialName)]
	if !ok || m.Retired {
		return nil, false
	}
	return m, true
}

// resolve turns every material's standard material, given by code, name or
// alias, into its code; problems name the material's field. A retired
// standard material stays acceptable only where the stored listing already
// names it.
func (s *Standards) resolve(l *tongban.Listing, old *tongban.Listing) []*tongban.Error {
	had := map[string]bool{}
	if old != nil {
		for _, m := range old.Materials {
			had[m.Standard] = true
		}
	}
	var errs []*tongban.Error
	fix := func(field string, m *tongban.Material) {
		if strings.TrimSpace(m.Standard) == "" {
			m.Standard = ""
			return
		}
		sm, ok := s.Find(m.Standard)
		switch {
		case !ok:
			errs = append(errs, tongban.FieldError(field, "材料“%s”的标准材料“%s”不在标准材料目录中", m.Name, m.Standard))
		case sm.Retired && !had[sm.Code]:
			errs = append(errs, tongban.FieldError(field, "标准材料“%s”已停用，请为材料“%s”另选", sm.Name, m.Name))
		default:
			m.Standard = sm.Code
		}
	}
	for i := range l.Materials {
		fix(fmt.Sprintf("materials[%d].standard", i), &l.Materials[i])
	}
	for i := range l.Situations {
		for j := range l.Situations[i].Answers {
			for k, e := range l.Situations[i].Answers[j].Effects {
				if e.Material != nil {
					m := *e.Material
					fix(fmt.Sprintf("situations[%d].answers[%d].effects[%d].material.standard", i, j, k), &m)
					l.Situations[i].Answers[j].Effects[k].Material = &m
				}
			}
		}
	}
	return errs
}
