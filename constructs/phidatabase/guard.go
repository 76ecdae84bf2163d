package phidatabase

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsrds"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// disallowAllCidr is the placeholder egress rule CDK writes into a security
// group that allows no outbound traffic.
const disallowAllCidr = "255.255.255.255/32"

// guard re-checks at synth, after every change the caller made, what
// PhiDatabase enforces: the two doors (ingress only from the app and access
// tiers, on the database port), no outbound rule, and storage encrypted with
// the customer-managed key. NewPhiDatabase builds it right; this catches
// db.Instance().Connections().AllowDefaultPortFrom(...), an extra
// SecurityGroupIngress anywhere in the app, or an escape-hatch override.
func (d *PhiDatabase) guard(t *base.Tree) []string {
	var out []string
	out = append(out, d.checkInlineRules()...)
	for _, c := range t.Constructs() {
		switch r := c.(type) {
		case awsec2.CfnSecurityGroupIngress:
			rule := t.Props(r) // one read shared by every guard of the app
			src, _ := rule["sourceSecurityGroupId"].(string)
			if rule["groupId"] == d.sgID && !(d.clientSgIDs[src] && d.onPortJSON(rule)) {
				out = append(out, d.thirdDoor(*r.Node().Path()))
			}
		case awsec2.CfnSecurityGroupEgress:
			if t.Props(r)["groupId"] == d.sgID {
				out = append(out, fmt.Sprintf("%s: the database security group has an outbound rule (%s); a PHI database initiates no connections", constructName, *r.Node().Path()))
			}
		}
	}
	return append(out, d.checkStorage()...)
}

// checkInlineRules reads the rules CDK writes into the security group
// itself (sources in the same stack, CIDR peers, egress).
func (d *PhiDatabase) checkInlineRules() []string {
	stack := base.StackOf(d.cfnSG)
	want := map[string]bool{}
	for id := range d.clientSgIDs {
		want[resolved(stack, id)] = true
	}
	var out []string
	for _, rule := range base.InlineRules(stack, d.cfnSG.SecurityGroupIngress()) {
		src, ok := rule["sourceSecurityGroupId"]
		if !ok || !want[resolved(stack, src)] || !d.onPortJSON(rule) {
			out = append(out, d.thirdDoor(describeRule(rule)))
		}
	}
	for _, rule := range base.InlineRules(stack, d.cfnSG.SecurityGroupEgress()) {
		if rule["cidrIp"] != disallowAllCidr {
			out = append(out, fmt.Sprintf("%s: the database security group has an outbound rule (%s); a PHI database initiates no connections", constructName, describeRule(rule)))
		}
	}
	return out
}

// checkStorage fails when an override left the database unencrypted or
// encrypted under another key than EncryptionKey.
func (d *PhiDatabase) checkStorage() []string {
	var encrypted interface{}
	var key *string
	switch db := d.cfnDB.(type) {
	case awsrds.CfnDBInstance:
		encrypted, key = db.StorageEncrypted(), db.KmsKeyId()
	case awsrds.CfnDBCluster:
		encrypted, key = db.StorageEncrypted(), db.KmsKeyId()
	}
	if !validate.TrueValue(encrypted) || !eq(key, *d.key.KeyArn()) {
		return []string{fmt.Sprintf("%s: storage of %s is no longer encrypted with EncryptionKey (a customer-managed key); "+
			"an override changed StorageEncrypted or KmsKeyId", constructName, *d.cfnDB.Node().Path())}
	}
	return nil
}

func (d *PhiDatabase) thirdDoor(what string) string {
	return fmt.Sprintf("%s: a third door: the database security group admits %s; only AppClients and AccessClient may reach a PHI database, "+
		"on its port (%v). Remove the rule (for example Connections().AllowDefaultPortFrom) or pass the source as an AppClient", constructName, what, d.port)
}

func (d *PhiDatabase) onPortJSON(rule map[string]interface{}) bool {
	from, _ := rule["fromPort"].(float64)
	to, _ := rule["toPort"].(float64)
	return rule["ipProtocol"] == "tcp" && from == d.port && to == d.port
}

// resolved is a value's CloudFormation form in stack, for comparison.
func resolved(stack awscdk.Stack, v interface{}) string {
	raw, _ := json.Marshal(stack.Resolve(v))
	return string(raw)
}

func describeRule(rule map[string]interface{}) string {
	raw, _ := json.Marshal(rule)
	return string(raw)
}
