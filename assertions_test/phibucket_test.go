package assertions_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phibucket"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
)

const (
	replicaBucketArn = "arn:aws:s3:::phi-replica-us-west-2"
	replicaKeyArn    = "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

var pinnedUsEast1 = &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")}}

// newLogBucket is an SSE-S3 access-log bucket of the test stack; its own
// findings (it is not the construct under test) are suppressed here.
func newLogBucket(stack awscdk.Stack) awss3.Bucket {
	b := awss3.NewBucket(stack, jsii.String("Logs"), &awss3.BucketProps{
		Encryption: awss3.BucketEncryption_S3_MANAGED, Versioned: jsii.Bool(true), EnforceSSL: jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(), ObjectOwnership: awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
	})
	var sups []*cdknag.NagPackSuppression
	for _, r := range []string{"S3DefaultEncryptionKMS", "S3BucketReplicationEnabled", "S3BucketLoggingEnabled"} {
		sups = append(sups, &cdknag.NagPackSuppression{Id: jsii.String("HIPAA.Security-" + r), Reason: jsii.String("test fixture's access-log bucket, not under test")})
	}
	cdknag.NagSuppressions_AddResourceSuppressions(b, &sups, jsii.Bool(true))
	return b
}

// managedAccess attaches statements to a role through a managed policy.
func managedAccess(stack awscdk.Stack, id string, stmts []awsiam.PolicyStatement) {
	role := awsiam.NewRole(stack, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
	})
	role.AddManagedPolicy(awsiam.NewManagedPolicy(stack, jsii.String(id+"Policy"), &awsiam.ManagedPolicyProps{Statements: &stmts}))
}

var (
	bucketObjectLock = newFixture("phibucket-objectlock", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("BucketLock"), pinnedUsEast1)
		b := phibucket.NewPhiBucket(stack, jsii.String("Phi"), &phibucket.PhiBucketProps{
			AccessLogBucket:                newLogBucket(stack),
			AccessLogPrefix:                jsii.String("phi/"),
			EncryptionKey:                  kmskeys.New(stack, "OwnKey", "caller-supplied key"),
			NoncurrentVersionRetentionDays: jsii.Number(30),
			ObjectLock:                     &phibucket.ObjectLockProps{Mode: phibucket.ObjectLockCompliance, RetentionDays: jsii.Number(90)},
		})
		managedAccess(stack, "Reader", b.ReadPolicyStatements())
		managedAccess(stack, "Writer", b.WritePolicyStatements())
		managedAccess(stack, "ReaderWriter", b.ReadWritePolicyStatements())
	})
	bucketReplicated = newFixture("phibucket-replication-malware", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("BucketRepl"), pinnedUsEast1)
		phibucket.NewPhiBucket(stack, jsii.String("Phi"), &phibucket.PhiBucketProps{
			AccessLogBucket:       newLogBucket(stack),
			BucketName:            jsii.String("phi-objects-111111111111-us-east-1"),
			Replication:           &phibucket.ReplicationProps{DestinationBucketArn: jsii.String(replicaBucketArn), DestinationKeyArn: jsii.String(replicaKeyArn)},
			EnableMalwareScanning: jsii.Bool(true),
		})
	})
	bucketNonPhi = newFixture("phibucket-nonphi", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("BucketNonPhi"), nil)
		phibucket.NewPhiBucket(stack, jsii.String("Phi"), &phibucket.PhiBucketProps{
			AccessLogBucket: awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("org-access-logs")),
			DisableReplicationAndObjectLockForNonPhiEnvironment: jsii.Bool(true),
		})
	})
)

func TestPhiBucketNagClean(t *testing.T) {
	for _, f := range []*fixture{bucketObjectLock, bucketReplicated, bucketNonPhi} {
		t.Run(f.name, func(t *testing.T) { requireNagClean(t, f) })
	}
}

// phiBucket returns the PHI bucket (the one with SSE-KMS) of a template.
func phiBucket(t *testing.T, f *fixture, stack string) (string, map[string]interface{}) {
	t.Helper()
	for id, r := range resourcesOf(f.get(t).template(t, stack), "AWS::S3::Bucket") {
		if strings.Contains(jsonOf(r), "aws:kms") {
			return id, r
		}
	}
	t.Fatalf("%s: no SSE-KMS bucket", stack)
	return "", nil
}

// bucketPolicyOf returns the statements of the policy of bucket id.
func bucketPolicyOf(t *testing.T, f *fixture, stack, id string) []map[string]interface{} {
	t.Helper()
	var out []map[string]interface{}
	for _, r := range resourcesOf(f.get(t).template(t, stack), "AWS::S3::BucketPolicy") {
		if refTo(props(r)["Bucket"]) != id {
			continue
		}
		for _, s := range props(r)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			out = append(out, s.(map[string]interface{}))
		}
	}
	return out
}

func statementWithSid(stmts []map[string]interface{}, sid string) map[string]interface{} {
	for _, s := range stmts {
		if s["Sid"] == sid {
			return s
		}
	}
	return nil
}

// Every fixture: what PhiBucket enforces, whatever the props.
func TestPhiBucketEnforcedSettings(t *testing.T) {
	for _, c := range []struct {
		f     *fixture
		stack string
		key   string // logical-ID prefix of the key
	}{{bucketObjectLock, "BucketLock", "OwnKey"}, {bucketReplicated, "BucketRepl", "PhiKey"}, {bucketNonPhi, "BucketNonPhi", "PhiKey"}} {
		t.Run(c.f.name, func(t *testing.T) {
			id, b := phiBucket(t, c.f, c.stack)
			p := props(b)
			if b["DeletionPolicy"] != "Retain" || b["UpdateReplacePolicy"] != "Retain" {
				t.Errorf("bucket not retained: %v / %v", b["DeletionPolicy"], b["UpdateReplacePolicy"])
			}
			rule := p["BucketEncryption"].(map[string]interface{})["ServerSideEncryptionConfiguration"].([]interface{})[0].(map[string]interface{})
			def := rule["ServerSideEncryptionByDefault"].(map[string]interface{})
			if def["SSEAlgorithm"] != "aws:kms" || rule["BucketKeyEnabled"] != true {
				t.Errorf("encryption %s, want SSE-KMS with the bucket key", jsonOf(rule))
			}
			keyRef(t, "KMSMasterKeyID", def["KMSMasterKeyID"], c.key)
			wantProps(t, "bucket", p, map[string]interface{}{
				"VersioningConfiguration": map[string]interface{}{"Status": "Enabled"},
				"PublicAccessBlockConfiguration": map[string]interface{}{"BlockPublicAcls": true, "BlockPublicPolicy": true,
					"IgnorePublicAcls": true, "RestrictPublicBuckets": true},
				"OwnershipControls": map[string]interface{}{"Rules": []interface{}{map[string]interface{}{"ObjectOwnership": "BucketOwnerEnforced"}}},
			})
			if p["AccessControl"] != nil {
				t.Errorf("AccessControl %v: ACLs must stay off", p["AccessControl"])
			}
			if tagMap(p["Tags"])[phibucket.DataClassificationTag] != phibucket.DataClassificationPHI {
				t.Errorf("bucket not tagged PHI: %v", p["Tags"])
			}
			if p["LoggingConfiguration"] == nil {
				t.Error("no server access logging")
			}
			lc := jsonOf(p["LifecycleConfiguration"])
			if !strings.Contains(lc, `"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":7}`) || !strings.Contains(lc, `"NoncurrentVersionExpiration"`) {
				t.Errorf("lifecycle %s: want noncurrent-version expiry and aborted uploads", lc)
			}

			stmts := bucketPolicyOf(t, c.f, c.stack, id)
			tls := false
			for _, s := range stmts {
				if s["Effect"] == "Deny" && jsonOf(s["Condition"]) == `{"Bool":{"aws:SecureTransport":"false"}}` {
					tls = true
				}
				if s["Effect"] == "Allow" {
					t.Errorf("bucket policy allows something: %s", jsonOf(s))
				}
			}
			if !tls {
				t.Error("no TLS-only statement")
			}
			noKms := statementWithSid(stmts, "DenyUploadsWithoutSseKms")
			if noKms == nil || noKms["Action"] != "s3:PutObject" ||
				!strings.Contains(jsonOf(noKms["Condition"]), `"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}`) {
				t.Errorf("DenyUploadsWithoutSseKms = %s", jsonOf(noKms))
			}
			otherKey := statementWithSid(stmts, "DenyUploadsWithAnotherKey")
			cond, _ := otherKey["Condition"].(map[string]interface{})
			if otherKey == nil || jsonOf(cond["Null"]) != `{"s3:x-amz-server-side-encryption-aws-kms-key-id":"false"}` {
				t.Fatalf("DenyUploadsWithAnotherKey = %s", jsonOf(otherKey))
			}
			keyRef(t, "DenyUploadsWithAnotherKey key", cond["StringNotEquals"].(map[string]interface{})["s3:x-amz-server-side-encryption-aws-kms-key-id"], c.key)

			if n := len(resourcesOf(c.f.get(t).template(t, c.stack), "AWS::IAM::Policy")); n != 0 {
				t.Errorf("%d inline policies; PhiBucket uses managed policies only", n)
			}
		})
	}
}

func TestPhiBucketKeyAndDefaults(t *testing.T) {
	tmpl := bucketNonPhi.get(t).template(t, "BucketNonPhi")
	_, key := only(t, resourcesOf(tmpl, "AWS::KMS::Key"), "AWS::KMS::Key")
	if props(key)["EnableKeyRotation"] != true || key["DeletionPolicy"] != "Retain" {
		t.Errorf("key: rotation %v, deletion %v", props(key)["EnableKeyRotation"], key["DeletionPolicy"])
	}
	if tagMap(props(key)["Tags"])[phibucket.DataClassificationTag] != phibucket.DataClassificationPHI {
		t.Error("key not tagged PHI")
	}
	_, b := phiBucket(t, bucketNonPhi, "BucketNonPhi")
	p := props(b)
	if got := jsonOf(p["LoggingConfiguration"]); got != `{"DestinationBucketName":"org-access-logs","LogFilePrefix":"phi-bucket/Phi/"}` {
		t.Errorf("logging %s", got)
	}
	if !strings.Contains(jsonOf(p["LifecycleConfiguration"]), `"NoncurrentDays":365`) {
		t.Errorf("noncurrent versions: want the default 365 days, got %s", jsonOf(p["LifecycleConfiguration"]))
	}
	if p["ObjectLockEnabled"] != nil || p["ReplicationConfiguration"] != nil {
		t.Error("the non-PHI opt-out has neither Object Lock nor replication")
	}
	if r := suppressionReason(b, "HIPAA.Security-S3BucketReplicationEnabled"); !strings.Contains(r, "DisableReplicationAndObjectLockForNonPhiEnvironment") ||
		!strings.Contains(r, "BucketNonPhi") {
		t.Errorf("suppression reason %q must name the opt-out and the stack", r)
	}
}

func TestPhiBucketObjectLock(t *testing.T) {
	id, b := phiBucket(t, bucketObjectLock, "BucketLock")
	p := props(b)
	wantProps(t, "bucket", p, map[string]interface{}{
		"ObjectLockEnabled": true,
		"ObjectLockConfiguration": map[string]interface{}{"ObjectLockEnabled": "Enabled",
			"Rule": map[string]interface{}{"DefaultRetention": map[string]interface{}{"Mode": "COMPLIANCE", "Days": 90}}},
	})
	if !strings.Contains(jsonOf(p["LifecycleConfiguration"]), `"NoncurrentDays":30`) {
		t.Errorf("NoncurrentVersionRetentionDays not honoured: %s", jsonOf(p["LifecycleConfiguration"]))
	}
	if r := suppressionReason(b, "HIPAA.Security-S3BucketReplicationEnabled"); !strings.Contains(r, "ObjectLock") || !strings.Contains(r, "COMPLIANCE") {
		t.Errorf("suppression reason %q", r)
	}
	if got := suppressedRules(b); len(got) != 1 {
		t.Errorf("suppressions %v: only S3BucketReplicationEnabled", got)
	}
	// The access-log bucket of the same stack admits this bucket's logs,
	// under its prefix only.
	tmpl := bucketObjectLock.get(t).template(t, "BucketLock")
	var logStmt map[string]interface{}
	for lid, r := range resourcesOf(tmpl, "AWS::S3::BucketPolicy") {
		if strings.HasPrefix(refTo(props(r)["Bucket"]), "Logs") {
			for _, s := range props(r)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
				if strings.HasPrefix(jsonOf(s.(map[string]interface{})["Sid"]), `"S3ServerAccessLogsFrom`) {
					logStmt = s.(map[string]interface{})
				}
			}
			_ = lid
		}
	}
	if logStmt == nil {
		t.Fatal("no log-delivery statement in the access-log bucket's policy")
	}
	js := jsonOf(logStmt)
	for _, want := range []string{`"Service":"logging.s3.amazonaws.com"`, `"/phi/*"`, `"aws:SourceAccount":"111111111111"`, `"aws:SourceArn":{"Fn::GetAtt":["` + id} {
		if !strings.Contains(js, want) {
			t.Errorf("log-delivery statement %s lacks %s", js, want)
		}
	}
	if got := jsonOf(props(b)["LoggingConfiguration"]); !strings.Contains(got, `"LogFilePrefix":"phi/"`) {
		t.Errorf("logging %s", got)
	}
}

// The managed-policy statements grant exactly the S3 and KMS actions of
// each access, the key only through S3 in the bucket's region.
func TestPhiBucketPolicyStatements(t *testing.T) {
	tmpl := bucketObjectLock.get(t).template(t, "BucketLock")
	byPrefix := func(prefix string) string {
		_, r := only(t, withPrefix(resourcesOf(tmpl, "AWS::IAM::ManagedPolicy"), prefix), "AWS::IAM::ManagedPolicy")
		return jsonOf(props(r)["PolicyDocument"])
	}
	via := `"kms:ViaService":"s3.us-east-1.amazonaws.com"`
	for name, c := range map[string]struct{ want, not []string }{
		"ReaderPolicy": {want: []string{`"s3:GetObject"`, `"s3:GetObjectVersion"`, `"s3:ListBucket"`, `"kms:Decrypt"`, via},
			not: []string{"s3:PutObject", "kms:GenerateDataKey", "s3:Delete", "Tagging"}},
		"WriterPolicy": {want: []string{`"s3:PutObject"`, `"s3:AbortMultipartUpload"`, `"kms:GenerateDataKey"`, `"kms:Decrypt"`, via},
			not: []string{"s3:GetObject", "s3:ListBucket", "s3:Delete", "Tagging", "kms:Encrypt"}},
		"ReaderWriterPolicy": {want: []string{`"s3:GetObject"`, `"s3:PutObject"`, `"s3:ListBucket"`, `"kms:GenerateDataKey"`, `"kms:Decrypt"`, via},
			not: []string{"s3:Delete", "Tagging", "kms:Encrypt", "kms:ReEncrypt"}},
	} {
		doc := byPrefix(name)
		for _, w := range c.want {
			if !strings.Contains(doc, w) {
				t.Errorf("%s: %s lacks %s", name, doc, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(doc, n) {
				t.Errorf("%s: %s must not contain %s", name, doc, n)
			}
		}
	}
}

func TestPhiBucketReplicationAndMalwareScanning(t *testing.T) {
	tmpl := bucketReplicated.get(t).template(t, "BucketRepl")
	id, b := phiBucket(t, bucketReplicated, "BucketRepl")
	p := props(b)
	if p["BucketName"] != "phi-objects-111111111111-us-east-1" {
		t.Errorf("BucketName %v", p["BucketName"])
	}
	if got := suppressedRules(b); len(got) != 0 {
		t.Errorf("replication needs no suppression, got %v", got)
	}
	rc := jsonOf(p["ReplicationConfiguration"])
	for _, w := range []string{`"Bucket":"` + replicaBucketArn + `"`, `"ReplicaKmsKeyID":"` + replicaKeyArn + `"`, `"Status":"Enabled"`,
		`"SseKmsEncryptedObjects":{"Status":"Enabled"}`, `"DeleteMarkerReplication":{"Status":"Enabled"}`} {
		if !strings.Contains(rc, w) {
			t.Errorf("replication %s lacks %s", rc, w)
		}
	}
	_, role := only(t, withPrefix(resourcesOf(tmpl, "AWS::IAM::ManagedPolicy"), "PhiReplicationPolicy"), "AWS::IAM::ManagedPolicy")
	doc := jsonOf(props(role)["PolicyDocument"])
	for _, w := range []string{"s3:ReplicateObject", replicaBucketArn + "/*", replicaKeyArn, "s3.us-west-2.amazonaws.com", "s3.us-east-1.amazonaws.com",
		"s3:GetObjectVersionForReplication"} {
		if !strings.Contains(doc, w) {
			t.Errorf("replication policy %s lacks %s", doc, w)
		}
	}

	_, plan := only(t, resourcesOf(tmpl, "AWS::GuardDuty::MalwareProtectionPlan"), "AWS::GuardDuty::MalwareProtectionPlan")
	pp := jsonOf(props(plan))
	if !strings.Contains(pp, `"Tagging":{"Status":"ENABLED"}`) || !strings.Contains(pp, `"BucketName":{"Ref":"`+id+`"}`) {
		t.Errorf("malware protection plan %s", pp)
	}
	scanRole := refTo(props(plan)["Role"])
	_, scan := only(t, withPrefix(resourcesOf(tmpl, "AWS::IAM::ManagedPolicy"), "PhiMalwareScanPolicy"), "AWS::IAM::ManagedPolicy")
	sd := jsonOf(props(scan)["PolicyDocument"])
	for _, w := range []string{"DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*", "s3:PutObjectTagging", "s3:PutBucketNotification",
		"malware-protection-resource-validation-object", "kms:Decrypt", "events:ManagedBy"} {
		if !strings.Contains(sd, w) {
			t.Errorf("scan policy %s lacks %s", sd, w)
		}
	}
	if !strings.Contains(jsonOf(resourcesOf(tmpl, "AWS::IAM::Role")[scanRole]), "malware-protection-plan.guardduty.amazonaws.com") {
		t.Error("scan role not assumed by GuardDuty Malware Protection")
	}

	stmts := bucketPolicyOf(t, bucketReplicated, "BucketRepl", id)
	gate := jsonOf(statementWithSid(stmts, "DenyReadsUntilScannedClean"))
	for _, w := range []string{`"s3:ExistingObjectTag/GuardDutyMalwareScanStatus":"NO_THREATS_FOUND"`, `"StringNotEquals"`, `"s3:GetObject"`,
		`"ArnNotEquals":{"aws:PrincipalArn":{"Fn::GetAtt":["` + scanRole} {
		if !strings.Contains(gate, w) {
			t.Errorf("read gate %s lacks %s", gate, w)
		}
	}
	if tags := jsonOf(statementWithSid(stmts, "OnlyTheScannerTagsObjects")); !strings.Contains(tags, "s3:PutObjectTagging") || !strings.Contains(tags, scanRole) {
		t.Errorf("tag statement %s", tags)
	}
	if noKms := jsonOf(statementWithSid(stmts, "DenyUploadsWithoutSseKms")); !strings.Contains(noKms, scanRole) {
		t.Errorf("the scanner's validation object must be exempt from the SSE header rule: %s", noKms)
	}
}

// GrantRead/GrantWrite/GrantReadWrite put the same statements on the
// grantee (inline, as CDK grants do).
func TestPhiBucketGrants(t *testing.T) {
	app := newApp(t)
	stack := awscdk.NewStack(app, jsii.String("S"), pinnedUsEast1)
	b := phibucket.NewPhiBucket(stack, jsii.String("Phi"), &phibucket.PhiBucketProps{
		AccessLogBucket: awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("logs")),
		DisableReplicationAndObjectLockForNonPhiEnvironment: jsii.Bool(true),
	})
	role := func(id string) awsiam.Role {
		return awsiam.NewRole(stack, jsii.String(id), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil)})
	}
	b.GrantRead(role("R"))
	b.GrantWrite(role("W"))
	b.GrantReadWrite(role("RW"))
	tmpl := app.Synth(nil).GetStackByName(stack.StackName()).Template().(map[string]interface{})
	got := map[string]string{} // grantee (R, W, RW) -> its policy document
	for _, r := range tmpl["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		if res["Type"] != "AWS::IAM::Policy" {
			continue
		}
		grantee := refTo(props(res)["Roles"].([]interface{})[0])
		switch {
		case strings.HasPrefix(grantee, "RW"):
			grantee = "RW"
		default:
			grantee = grantee[:1]
		}
		got[grantee] = jsonOf(props(res)["PolicyDocument"])
	}
	for grantee, c := range map[string]struct{ want, not []string }{
		"R":  {[]string{`"s3:GetObject"`, `"s3:ListBucket"`, `"kms:Decrypt"`, "kms:ViaService"}, []string{"s3:PutObject", "kms:GenerateDataKey"}},
		"W":  {[]string{`"s3:PutObject"`, `"kms:GenerateDataKey"`, "kms:ViaService"}, []string{"s3:GetObject"}},
		"RW": {[]string{`"s3:GetObject"`, `"s3:PutObject"`, `"kms:GenerateDataKey"`}, []string{"s3:Delete"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(got[grantee], w) {
				t.Errorf("grant to %s: %s lacks %s", grantee, got[grantee], w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got[grantee], n) {
				t.Errorf("grant to %s: %s must not contain %s", grantee, got[grantee], n)
			}
		}
	}
	if len(got) != 3 {
		t.Errorf("want 3 grantee policies, got %v", got)
	}
}

// An imported access-log bucket cannot be given the delivery statement:
// the synth says so.
func TestPhiBucketWarnsAboutImportedAccessLogBucket(t *testing.T) {
	app := newApp(t)
	stack := awscdk.NewStack(app, jsii.String("S"), nil)
	phibucket.NewPhiBucket(stack, jsii.String("Phi"), &phibucket.PhiBucketProps{
		AccessLogBucket: awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("logs")),
		DisableReplicationAndObjectLockForNonPhiEnvironment: jsii.Bool(true),
	})
	found := false
	for _, w := range warningsOf(t, app, stack) {
		if strings.Contains(w, "AccessLogBucket is an imported bucket") {
			found = true
		}
	}
	if !found {
		t.Error("no warning about the imported access-log bucket's policy")
	}
}
