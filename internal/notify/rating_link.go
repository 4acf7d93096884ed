package notify

import "github.com/tongban/tongban"

// withRatingLinks puts the signed rating link (channel 短信) in the SMS
// and email of each rating invitation, in place of "sign in and rate": the
// case's link for its 一事一评, the visit's own link for a visit's.
func (s *Service) withRatingLinks(notes []note) []note {
	if s.RatingLink == nil {
		return notes
	}
	for i, n := range notes {
		if n.RateCase == "" {
			continue
		}
		encounter := n.RateEncounter
		if encounter == "" {
			encounter = tongban.EncounterCase
		}
		if link := s.RatingLink(n.RateCase, encounter); link != "" {
			notes[i].SMS = n.Body + "评价入口（登录后评价）：" + link
			notes[i].Email = n.Body + "\n\n评价入口（登录后评价）：" + link
		}
	}
	return notes
}
