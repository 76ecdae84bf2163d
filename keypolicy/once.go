package keypolicy

import (
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// added remembers which statement each key already holds, by the key's Go
// value (jsii hands out one value per JavaScript object) and the statement's
// Sid: two constructs sharing a key must not write the same Sid twice (KMS
// refuses duplicate Sids). A construct address would not do: two apps in one
// process have the same addresses.
var added sync.Map

type keyStatement struct {
	key awskms.IKey
	sid string
}

func addOnce(key awskms.IKey, stmt awsiam.PolicyStatement) bool {
	id := keyStatement{key, *stmt.Sid()}
	if v, ok := added.Load(id); ok {
		return v.(bool)
	}
	ok := base.AddToKeyPolicy(key, stmt)
	added.Store(id, ok)
	return ok
}
