package base

import (
	"fmt"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// Singleton guards a resource AWS allows once per account and region (an
// AWS Config recorder, a GuardDuty detector, the Session Manager preferences
// document). Two constructs that would create it for the same account and
// region fail synth, naming both paths: pinned stacks with the same account
// and region, or two in one environment-agnostic stack. Two agnostic stacks
// may still be deployed to one account; that only the deploy can tell.
type Singleton struct {
	// What names the resource in the message, e.g. "an AWS Config recorder".
	What string

	mu     sync.Mutex
	byRoot map[constructs.IConstruct][]placed
}

type placed struct {
	path, stack, where string // where: "account/region" when both are literal
}

// Register records that c creates the resource and adds the synth-time check.
func (s *Singleton) Register(c constructs.Construct, construct string) {
	stack := StackOf(c)
	p := placed{path: *c.Node().Path(), stack: PathOf(stack)}
	if account, region := *Account(stack), *Region(stack); !validate.StringToken(account) && !validate.StringToken(region) {
		p.where = account + "/" + region
	}
	root := RootOf(c)
	s.mu.Lock()
	if s.byRoot == nil {
		s.byRoot = map[constructs.IConstruct][]placed{}
	}
	earlier := append([]placed(nil), s.byRoot[root]...)
	s.byRoot[root] = append(s.byRoot[root], p)
	s.mu.Unlock()
	AddValidation(c, func() []string {
		var out []string
		for _, e := range earlier {
			switch {
			case p.where != "" && e.where == p.where:
				out = append(out, fmt.Sprintf("%s: %s and %s both create %s for account/region %s; AWS allows one per account and region: keep one, or set the other's opt-out",
					construct, p.path, e.path, s.What, p.where))
			case p.where == "" && e.stack == p.stack:
				out = append(out, fmt.Sprintf("%s: %s and %s both create %s in the environment-agnostic stack %s, which deploys to one account and region; AWS allows one per account and region",
					construct, p.path, e.path, s.What, p.stack))
			}
		}
		return out
	})
}
