package jsontext

import "testing"

// An answer leaves HTML characters as they are and ends in a newline, as
// the API has always written them; what encoding/json refuses is an error.
func TestAnswer(t *testing.T) {
	b, err := Answer(map[string]any{"name": "<食品经营许可> & 备案", "n": 2})
	if err != nil || string(b) != `{"n":2,"name":"<食品经营许可> & 备案"}`+"\n" {
		t.Errorf("Answer = %q, %v", b, err)
	}
	if _, err := Answer(make(chan int)); err == nil {
		t.Error("a channel encoded without error")
	}
}
