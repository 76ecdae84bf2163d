package base

import "testing"

func TestInputTemplateTextKeepsPlaceholders(t *testing.T) {
	got := InputTemplateText(`Tier data ISOLATED by <by>: "quoted" & done`)
	if want := `"Tier data ISOLATED by <by>: \"quoted\" & done"`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
