package notify

// withRatingLinks puts the signed rating link (channel 短信) in the SMS
// and email of each rating invitation, in place of "sign in and rate".
func (s *Service) withRatingLinks(notes []note) []note {
	if s.RatingLink == nil {
		return notes
	}
	for i, n := range notes {
		if n.RateCase == "" {
			continue
		}
		if link := s.RatingLink(n.RateCase); link != "" {
			notes[i].SMS = n.Body + "评价入口（登录后评价）：" + link
			notes[i].Email = n.Body + "\n\n评价入口（登录后评价）：" + link
		}
	}
	return notes
}
