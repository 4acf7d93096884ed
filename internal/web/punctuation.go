package web

// halfWidth is how an English page writes the full-width marks that
// templates put between translated words: "Source: …", not "Source：…".
var halfWidth = map[string]string{
	"：": ": ", "（": " (", "）": ")", "，": ", ", "；": "; ", "。": ". ", "、": ", ",
	"！": "!", "？": "?", "《": "“", "》": "”", "「": "“", "」": "”", "【": "[", "】": "]",
}

// P is a punctuation mark in the page's locale; templates write
// {{p .Lang "："}} where a mark sits between translated words.
func (l Lang) P(mark string) string {
	if l == EN {
		if h, ok := halfWidth[mark]; ok {
			return h
		}
	}
	return mark
}
