package review

import (
	"fmt"
	"strings"
)

// Report is the review's text: every replacement (stateful ones blocking
// unless acknowledged), then every resource that takes a changed output of
// another stack. It is empty when nothing is replaced or taken.
func (res Result) Report(acks []Acknowledgement) string {
	var b strings.Builder
	for _, c := range res.Replacements {
		switch {
		case !c.Stateful:
			fmt.Fprintf(&b, "replaces %s/%s (%s): %s changes (no stored data)\n", c.Stack, c.LogicalID, c.Type, c.Property)
		case acknowledged(c, acks):
			fmt.Fprintf(&b, "%s [acknowledged: %s]\n", c, ackReason(c, acks))
		default:
			fmt.Fprintf(&b, "%s [BLOCKING: acknowledge it in the reviewed list or avoid the change]\n", c)
		}
	}
	for _, t := range res.Takes {
		effect := "updated in place"
		if t.Replaces {
			effect = "replaced"
		}
		fmt.Fprintf(&b, "TAKES %s/%s (%s) %s <- %s (%s): %s when %s is deployed\n",
			t.Stack, t.LogicalID, t.Type, t.Property, t.Output, t.Why, effect, t.Stack)
	}
	return b.String()
}

func ackReason(c Replacement, acks []Acknowledgement) string {
	for _, a := range acks {
		if a.Resource == c.Stack+"/"+c.LogicalID && a.Property == c.Property {
			return a.Reason
		}
	}
	return ""
}
