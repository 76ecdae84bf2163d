package phibucket

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// guard re-checks at synth, after every change the caller made, what
// PhiBucket enforces: SSE-KMS with the key and the bucket key, versioning,
// Block Public Access, ACLs off, access logging, retention, the chosen
// Object Lock or replication, and a bucket policy that still holds the TLS
// and upload-encryption denials (and the malware read gate), allows nothing
// to everyone, and is the bucket's only policy. NewPhiBucket builds it right;
// this catches Bucket().AddToResourcePolicy, a second CfnBucketPolicy anywhere
// in the app, or a setter on the L1 bucket.
func (b *PhiBucket) guard(t *base.Tree) []string {
	stack := base.StackOf(b.cfnBucket)
	res := func(v interface{}) interface{} { return base.UnwrapMaps(stack.Resolve(v)) }
	// The bucket's properties as they will be rendered (camelCase keys),
	// after every setter the caller used.
	props, _ := res(b.cfnBucket.CfnProperties()).(map[string]interface{})
	get := func(k string) map[string]interface{} { m, _ := props[k].(map[string]interface{}); return m }
	path := *b.cfnBucket.Node().Path()
	var out []string
	bad := func(format string, args ...any) {
		out = append(out, fmt.Sprintf("%s: %s: ", constructName, path)+fmt.Sprintf(format, args...))
	}

	if !encryptedWith(get("bucketEncryption"), jsonOf(res(b.key.KeyArn()))) {
		bad("default encryption is no longer SSE-KMS with EncryptionKey and the S3 bucket key; an override changed BucketEncryption")
	}
	pab := get("publicAccessBlockConfiguration")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if pab[k] != true {
			bad("Block Public Access setting %s is off; a PHI bucket is never public", k)
		}
	}
	if get("versioningConfiguration")["status"] != "Enabled" {
		bad("versioning is no longer Enabled")
	}
	if _, acl := props["accessControl"]; acl || !ownershipEnforced(get("ownershipControls")) {
		bad("ACLs are back on (AccessControl set or ObjectOwnership not BucketOwnerEnforced)")
	}
	if logging := get("loggingConfiguration"); logging == nil || jsonOf(logging["destinationBucketName"]) != jsonOf(res(b.accessLogs.BucketName())) {
		bad("server access logs no longer go to AccessLogBucket")
	}
	if b.cfnBucket.CfnOptions().DeletionPolicy() != awscdk.CfnDeletionPolicy_RETAIN {
		bad("the bucket is no longer retained when it leaves the stack (DeletionPolicy Retain)")
	}
	if b.s.lockMode != "" && !b.objectLocked(props["objectLockEnabled"], get("objectLockConfiguration")) {
		bad("Object Lock (%s, %v days) is no longer the bucket's default retention", b.s.lockMode, b.s.lockDays)
	}
	if b.s.replication != nil && !replicates(get("replicationConfiguration"), b.s.replication.bucketArn) {
		bad("cross-region replication to %s is no longer enabled", b.s.replication.bucketArn)
	}
	return append(out, b.checkPolicies(t, res)...)
}

func encryptedWith(enc map[string]interface{}, keyArn string) bool {
	rules, _ := enc["serverSideEncryptionConfiguration"].([]interface{})
	if len(rules) != 1 {
		return false
	}
	rule, _ := rules[0].(map[string]interface{})
	def, _ := rule["serverSideEncryptionByDefault"].(map[string]interface{})
	return def["sseAlgorithm"] == "aws:kms" && jsonOf(def["kmsMasterKeyId"]) == keyArn && rule["bucketKeyEnabled"] == true
}

// replicates reports whether an enabled rule replicates to bucketArn.
func replicates(cfg map[string]interface{}, bucketArn string) bool {
	rules, _ := cfg["rules"].([]interface{})
	for _, r := range rules {
		m, _ := r.(map[string]interface{})
		dest, _ := m["destination"].(map[string]interface{})
		if m["status"] == "Enabled" && dest["bucket"] == bucketArn {
			return true
		}
	}
	return false
}

func ownershipEnforced(oc map[string]interface{}) bool {
	rules, _ := oc["rules"].([]interface{})
	if len(rules) != 1 {
		return false
	}
	m, _ := rules[0].(map[string]interface{})
	return m["objectOwnership"] == "BucketOwnerEnforced"
}

func (b *PhiBucket) objectLocked(enabled interface{}, cfg map[string]interface{}) bool {
	rule, _ := cfg["rule"].(map[string]interface{})
	ret, _ := rule["defaultRetention"].(map[string]interface{})
	days, _ := ret["days"].(float64)
	return enabled == true && cfg["objectLockEnabled"] == "Enabled" && ret["mode"] == string(b.s.lockMode) && days == b.s.lockDays
}

// checkPolicies finds every bucket policy of the app that names this bucket.
func (b *PhiBucket) checkPolicies(t *base.Tree, res func(interface{}) interface{}) []string {
	own := b.bucket.Policy()
	var out []string
	names := map[string]bool{*b.bucket.BucketName(): true, *b.cfnBucket.Ref(): true}
	for _, c := range t.Constructs() {
		p, ok := c.(awss3.CfnBucketPolicy)
		if !ok {
			continue
		}
		if name, _ := t.Props(p)["bucket"].(string); !names[name] {
			continue
		}
		if own == nil || *p.Node().Path() != *own.Node().DefaultChild().Node().Path() {
			out = append(out, fmt.Sprintf("%s: %s is a second bucket policy for the PHI bucket %s; CloudFormation would replace "+
				"PhiBucket's (TLS and encryption denials) with it. Add statements through Bucket().AddToResourcePolicy instead",
				constructName, *p.Node().Path(), *b.Node().Path()))
		}
	}
	if own == nil {
		return append(out, fmt.Sprintf("%s: %s has no bucket policy: the TLS and encryption denials are gone", constructName, *b.Node().Path()))
	}
	doc, _ := res(own.Document()).(map[string]interface{})
	stmts, _ := doc["Statement"].([]interface{})
	have := map[string]bool{}
	tls := false
	for _, raw := range stmts {
		st, _ := raw.(map[string]interface{})
		have[jsonOf(sortedLists(st))] = true
		if st["Effect"] == "Deny" && jsonOf(st["Condition"]) == `{"Bool":{"aws:SecureTransport":"false"}}` && anyone(st["Principal"]) {
			tls = true
		}
		if st["Effect"] == "Allow" && anyone(st["Principal"]) {
			out = append(out, fmt.Sprintf("%s: the policy of PHI bucket %s allows %s to everyone (Principal *): a PHI bucket is never "+
				"public; name the principals (ReadPolicyStatements / WritePolicyStatements in their managed policies)",
				constructName, *b.Node().Path(), jsonOf(st["Action"])))
		}
	}
	if !tls {
		out = append(out, fmt.Sprintf("%s: the policy of PHI bucket %s no longer denies requests without TLS", constructName, *b.Node().Path()))
	}
	for _, req := range b.required {
		if !have[jsonOf(sortedLists(res(req.ToStatementJson())))] {
			out = append(out, fmt.Sprintf("%s: the policy of PHI bucket %s lost or changed statement %s", constructName, *b.Node().Path(), *req.Sid()))
		}
	}
	return out
}

// anyone reports whether a policy principal is everyone ("*" or {"AWS": "*"}).
func anyone(p interface{}) bool {
	switch v := p.(type) {
	case string:
		return v == "*"
	case map[string]interface{}:
		aws := v["AWS"]
		if aws == "*" {
			return true
		}
		if list, ok := aws.([]interface{}); ok {
			for _, a := range list {
				if a == "*" {
					return true
				}
			}
		}
	}
	return false
}

func jsonOf(v interface{}) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}

// sortedLists sorts every list of strings in v (IAM policy minimization
// sorts actions and resources), so two forms of one statement compare equal.
func sortedLists(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		out := map[string]interface{}{}
		for k, e := range t {
			out[k] = sortedLists(e)
		}
		return out
	case []interface{}:
		strs := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return t
			}
			strs = append(strs, s)
		}
		sort.Strings(strs)
		out := make([]interface{}, len(strs))
		for i, s := range strs {
			out[i] = s
		}
		return out
	}
	return v
}
