package base

import "testing"

// One validation pass shares one Tree; a pass ends when every registered
// check has run, or when a check runs a second time (a new synth).
func TestValidationPassesShareOneTreeEach(t *testing.T) {
	a := &appChecks{registered: 2}
	first, second := &check{tree: a}, &check{tree: a}

	t1 := a.begin(first)
	a.end()
	if got := a.begin(second); got != t1 {
		t.Fatal("the second check of a pass got another Tree: the app would be listed twice")
	}
	a.end()
	if a.tree != nil {
		t.Fatal("the Tree outlived its pass (every registered check ran)")
	}
	t2 := a.begin(first)
	a.end()
	if t2 == t1 {
		t.Fatal("a new pass reused the last pass's Tree: a change between synths would be missed")
	}
	// A pass where the second check never ran: the first check running
	// again is a new synth.
	if t3 := a.begin(first); t3 == t2 {
		t.Fatal("a check that runs again got the Tree of its earlier run")
	}
}
