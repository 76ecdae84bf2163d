package base

import "testing"

func TestCachedMakesEachValueOnce(t *testing.T) {
	var m map[string]int
	calls := 0
	make := func() int { calls++; return calls }
	if a, b := cached(&m, "k", make), cached(&m, "k", make); a != 1 || b != 1 || calls != 1 {
		t.Fatalf("the same key gave %d then %d after %d makes, want 1, 1 after 1", a, b, calls)
	}
	if c := cached(&m, "other", make); c != 2 {
		t.Fatalf("another key gave %d, want its own value 2", c)
	}
}
