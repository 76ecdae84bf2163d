package kmskeys

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/validate"

	"github.com/healthstack-oss/hipaa-baseline/keypolicy"
)

// Need is a key-policy statement that a construct's services need.
type Need struct {
	// Sid names the statement in a warning about an imported key.
	Sid string
	// Add writes it into a key created in the app.
	Add func(awskms.IKey) bool
}

// The statements the constructs ask for.
var (
	CloudWatchLogs = Need{keypolicy.SidCloudWatchLogs, keypolicy.AllowCloudWatchLogs}
	AutoScalingEbs = Need{keypolicy.SidAutoScalingEbsUse + ", " + keypolicy.SidAutoScalingEbsGrant, keypolicy.AllowAutoScalingEbs}
)

// CheckCustomerManaged refuses what cannot be a customer-managed key: an
// alias (AWS managed such as alias/aws/rds, or one of the account's own: the
// services that log or back up with the key need the key itself), or an
// imported ARN or ID that names an alias.
func CheckCustomerManaged(key awskms.IKey) error {
	if alias, ok := key.(awskms.IAlias); ok {
		name := *alias.AliasName()
		if strings.HasPrefix(name, "alias/aws/") {
			return fmt.Errorf("%s is an AWS managed key: PHI is encrypted only with a customer-managed key, whose policy and rotation you control", name)
		}
		return fmt.Errorf("%s is a KMS alias; pass the customer-managed key itself (CloudWatch Logs and AWS Backup do not accept aliases)", literalOr(name, "the alias"))
	}
	for _, v := range []*string{key.KeyArn(), key.KeyId()} {
		if v == nil || validate.StringToken(*v) {
			continue
		}
		if strings.Contains(*v, "alias/aws/") {
			return fmt.Errorf("%s names an AWS managed key: PHI is encrypted only with a customer-managed key, whose policy and rotation you control", *v)
		}
		if strings.Contains(*v, "alias/") {
			return fmt.Errorf("%s names a KMS alias; pass the customer-managed key's ARN", *v)
		}
	}
	return nil
}

// CreatedInApp reports whether key is a key of this app (awskms.NewKey),
// whose policy the constructs can extend, rather than one imported by ARN.
func CreatedInApp(key awskms.IKey) bool {
	_, ok := key.Node().DefaultChild().(awskms.CfnKey)
	return ok
}

// Provide writes the statements the construct's services need into a key
// created in the app. An imported key's policy is outside the app: scope
// then gets a synth warning that names the statements it must hold.
func Provide(scope constructs.IConstruct, construct, prop string, key awskms.IKey, needs ...Need) {
	if CreatedInApp(key) {
		for _, n := range needs {
			n.Add(key)
		}
		return
	}
	if len(needs) == 0 {
		return
	}
	var sids []string
	for _, n := range needs {
		sids = append(sids, n.Sid)
	}
	sort.Strings(sids)
	awscdk.Annotations_Of(scope).AddWarningV2(jsii.String("hipaa-baseline:importedKeyPolicy"), jsii.String(fmt.Sprintf(
		"%s: %s is an imported key, whose policy this app cannot change: it must hold the statements of package keypolicy: %s, or the deploy fails when the service first uses the key",
		construct, prop, strings.Join(sids, ", "))), nil)
}

func literalOr(s, fallback string) string {
	if validate.StringToken(s) {
		return fallback
	}
	return s
}
