package assertions_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
)

// The AuditTrail configurations under test, each synthesized once.
var (
	auditDefaultTrailName string
	auditAlarmRefs        int // how many SecurityAlarms() gave in auditDefaults
	auditDefaults         = newFixture("audit-defaults", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("AuditDefaults"), nil)
		at := audittrail.NewAuditTrail(stack, jsii.String("Audit"), nil)
		auditDefaultTrailName = *at.TrailName()
		// The alarm references: made on the first call, the same on the next.
		refs, again := at.SecurityAlarms(), at.SecurityAlarms()
		auditAlarmRefs = len(refs)
		if refs["RootAccountUsage"] != again["RootAccountUsage"] {
			auditAlarmRefs = -1
		}
		awscdk.NewCfnOutput(stack, jsii.String("RootAccountUsageAlarm"), &awscdk.CfnOutputProps{Value: refs["RootAccountUsage"].AlarmArn()})
	})
	auditOverrides = newFixture("audit-overrides", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("AuditOverrides"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
		})
		phi := awss3.Bucket_FromBucketName(stack, jsii.String("PhiBucket"), jsii.String("example-phi-records"))
		audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
			TrailName:                         jsii.String("org-audit"),
			RetentionDays:                     jsii.Number(3653),
			LogGroupRetentionDays:             jsii.Number(365),
			AllowRetentionShorterThanSixYears: jsii.Bool(true),
			ObjectLockRetentionDays:           jsii.Number(2192),
			ObjectLockComplianceMode:          jsii.Bool(true),
			DataEventBuckets:                  &[]awss3.IBucket{phi},
			EnableInsights:                    jsii.Bool(true),
			AlarmEmails:                       jsii.Strings("security@example.com"),
			AlarmHttpsEndpoints:               jsii.Strings("https://events.example.com/hooks/aws"),
			UseExistingRecorder:               jsii.Bool(true),
			EnableSecurityHub:                 jsii.Bool(true),
		})
	})
	auditPack = newFixture("audit-pack", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("AuditPack"), nil)
		audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
			UseHipaaConformancePack:        jsii.Bool(true),
			ConformancePackTemplateS3Uri:   jsii.String("s3://example-templates/Operational-Best-Practices-for-HIPAA-Security.yaml"),
			AllS3DataEvents:                jsii.Bool(true),
			DisableGuardDuty:               jsii.Bool(true),
			DisableGlobalResourceRecording: jsii.Bool(true),
		})
	})
)

func TestAuditTrailNagClean(t *testing.T) {
	for _, f := range []*fixture{auditDefaults, auditOverrides, auditPack} {
		t.Run(f.name, func(t *testing.T) { requireNagClean(t, f) })
	}
}

// The alarm and Config rule sets the spec requires, written out here so a
// change to the catalogues cannot silently drop one.
var (
	wantAlarmIDs = []string{
		"UnauthorizedApiCalls", "ConsoleSignInWithoutMfa", "RootAccountUsage", "IamPolicyChanges",
		"CloudTrailChanges", "ConsoleSignInFailures", "KmsKeyDisabledOrScheduledForDeletion",
		"S3BucketPolicyChanges", "ConfigChanges", "SecurityGroupChanges", "NetworkAclChanges",
		"NetworkGatewayChanges", "RouteTableChanges", "VpcChanges", "OrganizationsChanges",
	}
	wantConfigRules = []string{
		"VPC_FLOW_LOGS_ENABLED", "VPC_DEFAULT_SECURITY_GROUP_CLOSED", "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED",
		"NO_UNRESTRICTED_ROUTE_TO_IGW", "RDS_STORAGE_ENCRYPTED", "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
		"RDS_MULTI_AZ_SUPPORT", "DB_INSTANCE_BACKUP_ENABLED", "RDS_SNAPSHOTS_PUBLIC_PROHIBITED",
		"RDS_SNAPSHOT_ENCRYPTED", "RDS_LOGGING_ENABLED", "RDS_IN_BACKUP_PLAN", "CLOUD_TRAIL_ENABLED",
		"MULTI_REGION_CLOUD_TRAIL_ENABLED", "CLOUD_TRAIL_ENCRYPTION_ENABLED", "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
		"CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED", "S3_BUCKET_SSL_REQUESTS_ONLY", "S3_BUCKET_PUBLIC_READ_PROHIBITED",
		"S3_BUCKET_PUBLIC_WRITE_PROHIBITED", "S3_DEFAULT_ENCRYPTION_KMS", "S3_BUCKET_VERSIONING_ENABLED",
		"ENCRYPTED_VOLUMES", "EC2_IMDSV2_CHECK", "EC2_INSTANCE_NO_PUBLIC_IP", "INCOMING_SSH_DISABLED",
		"RESTRICTED_INCOMING_TRAFFIC", "CLOUDWATCH_LOG_GROUP_ENCRYPTED", "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
		"IAM_ROOT_ACCESS_KEY_CHECK", "ROOT_ACCOUNT_MFA_ENABLED", "IAM_PASSWORD_POLICY", "GUARDDUTY_ENABLED_CENTRALIZED",
	}
)

// auditByPath returns the logical ID of the resource of a type whose
// construct path ends in suffix.
func auditByPath(t *testing.T, tmpl assertions.Template, typ, suffix string) (string, map[string]interface{}) {
	t.Helper()
	for id, r := range resourcesOf(tmpl, typ) {
		md, _ := r["Metadata"].(map[string]interface{})
		if p, _ := md["aws:cdk:path"].(string); strings.HasSuffix(p, suffix) {
			return id, r
		}
	}
	t.Fatalf("no %s at a path ending in %q", typ, suffix)
	return "", nil
}

// auditText flattens a value (strings inside Fn::Join, Ref, ...) into one string.
func auditText(v interface{}) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSpace(buf.String())
}

// auditStatement returns the policy statement with the given Sid.
func auditStatement(t *testing.T, doc interface{}, sid string) map[string]interface{} {
	t.Helper()
	for _, s := range doc.(map[string]interface{})["Statement"].([]interface{}) {
		if st := s.(map[string]interface{}); st["Sid"] == sid {
			return st
		}
	}
	t.Fatalf("no statement %q in %s", sid, auditText(doc))
	return nil
}

// auditDenies reports whether doc denies everyone when cond holds.
func auditDenies(doc interface{}, cond string) bool {
	for _, s := range doc.(map[string]interface{})["Statement"].([]interface{}) {
		st := s.(map[string]interface{})
		if st["Effect"] == "Deny" && strings.Contains(auditText(st["Condition"]), cond) && strings.Contains(auditText(st["Principal"]), "*") {
			return true
		}
	}
	return false
}

func TestAuditTrailTrail(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	_, trail := only(t, resourcesOf(tmpl, "AWS::CloudTrail::Trail"), "AWS::CloudTrail::Trail")
	p := props(trail)
	for _, k := range []string{"IsLogging", "IsMultiRegionTrail", "IncludeGlobalServiceEvents", "EnableLogFileValidation"} {
		if p[k] != true {
			t.Errorf("trail %s = %v, want true", k, p[k])
		}
	}
	if p["TrailName"] != auditDefaultTrailName || auditDefaultTrailName == "" {
		t.Errorf("TrailName %v, want the derived name %q", p["TrailName"], auditDefaultTrailName)
	}
	sel := p["EventSelectors"].([]interface{})
	if len(sel) != 1 || auditText(sel[0]) != `{"IncludeManagementEvents":true,"ReadWriteType":"All"}` {
		t.Errorf("EventSelectors %s, want management events read and write, no data events", auditText(sel))
	}
	if p["InsightSelectors"] != nil {
		t.Errorf("Insights are opt-in, got %v", p["InsightSelectors"])
	}
	keyID, _ := auditByPath(t, tmpl, "AWS::KMS::Key", "/Key/Resource")
	bucketID, _ := auditByPath(t, tmpl, "AWS::S3::Bucket", "/TrailBucket/Resource")
	groupID, _ := only(t, resourcesOf(tmpl, "AWS::Logs::LogGroup"), "AWS::Logs::LogGroup")
	roleID, _ := auditByPath(t, tmpl, "AWS::IAM::Role", "/TrailLogsRole/Resource")
	for k, want := range map[string]string{"KMSKeyId": keyID, "S3BucketName": bucketID, "CloudWatchLogsLogGroupArn": groupID, "CloudWatchLogsRoleArn": roleID} {
		if got := refTo(p[k]); got != want {
			t.Errorf("trail %s -> %q, want %q", k, got, want)
		}
	}
	// The trail waits for the bucket policy that lets CloudTrail write.
	policyID, _ := auditByPath(t, tmpl, "AWS::S3::BucketPolicy", "/TrailBucket/Policy/Resource")
	if !strings.Contains(auditText(trail["DependsOn"]), policyID) {
		t.Errorf("trail DependsOn %v, want the trail bucket policy %s", trail["DependsOn"], policyID)
	}
	// The log role's only permission is writing to the trail's log group.
	logsPolicyID, lp := auditByPath(t, tmpl, "AWS::IAM::ManagedPolicy", "/TrailLogsPolicy/Resource")
	doc := auditText(props(lp)["PolicyDocument"])
	if !strings.Contains(doc, `"logs:CreateLogStream","logs:PutLogEvents"`) || !strings.Contains(doc, groupID) {
		t.Errorf("%s: %s, want CreateLogStream/PutLogEvents on the trail log group", logsPolicyID, doc)
	}
	if !strings.Contains(auditText(props(lp)["Roles"]), roleID) {
		t.Errorf("%s not attached to %s", logsPolicyID, roleID)
	}
}

func TestAuditTrailKeyPolicies(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	keys := resourcesOf(tmpl, "AWS::KMS::Key")
	if len(keys) != 2 {
		t.Fatalf("want the audit key and the topic key, got %d keys", len(keys))
	}
	for id, k := range keys {
		if props(k)["EnableKeyRotation"] != true || k["DeletionPolicy"] != "Retain" {
			t.Errorf("key %s: rotation %v, DeletionPolicy %v; want rotation and Retain", id, props(k)["EnableKeyRotation"], k["DeletionPolicy"])
		}
	}
	_, key := auditByPath(t, tmpl, "AWS::KMS::Key", "/Key/Resource")
	policy := props(key)["KeyPolicy"]
	thisTrail := ":trail/" + auditDefaultTrailName + `"`
	enc := auditStatement(t, policy, "AllowCloudTrailToEncryptForThisTrailOnly")
	if auditText(enc["Principal"]) != `{"Service":"cloudtrail.amazonaws.com"}` || enc["Action"] != "kms:GenerateDataKey*" {
		t.Errorf("CloudTrail statement %s", auditText(enc))
	}
	cond := enc["Condition"].(map[string]interface{})
	if src := auditText(cond["StringEquals"].(map[string]interface{})["aws:SourceArn"]); !strings.Contains(src, ":cloudtrail:") || !strings.HasSuffix(src, thisTrail+"]]}") {
		t.Errorf("CloudTrail may use the key only for this trail: aws:SourceArn %s", src)
	}
	if desc := auditStatement(t, policy, "AllowCloudTrailToDescribeKeyForThisTrail"); !strings.Contains(auditText(desc["Condition"]), thisTrail) {
		t.Errorf("DescribeKey statement not limited to the trail: %s", auditText(desc))
	}
	if logs := auditStatement(t, policy, "AllowCloudWatchLogsInThisAccountAndRegion"); !strings.Contains(auditText(logs["Principal"]), "logs.") {
		t.Errorf("CloudWatch Logs statement %s", auditText(logs))
	}

	_, topicKey := auditByPath(t, tmpl, "AWS::KMS::Key", "/TopicKey/Resource")
	pub := auditStatement(t, props(topicKey)["KeyPolicy"], "AllowAlarmAndEventPublishersToUseTheTopicKey")
	if auditText(pub["Principal"]) != `{"Service":["cloudwatch.amazonaws.com","events.amazonaws.com"]}` ||
		auditText(pub["Action"]) != `["kms:Decrypt","kms:GenerateDataKey*"]` {
		t.Errorf("topic key publisher statement %s", auditText(pub))
	}
}

func TestAuditTrailBucketProtections(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	buckets := resourcesOf(tmpl, "AWS::S3::Bucket")
	if len(buckets) != 3 {
		t.Fatalf("want trail, Config and access-log buckets, got %d", len(buckets))
	}
	accessID, _ := auditByPath(t, tmpl, "AWS::S3::Bucket", "/AccessLogBucket/Resource")
	keyID, _ := auditByPath(t, tmpl, "AWS::KMS::Key", "/Key/Resource")
	for id, b := range buckets {
		p := props(b)
		if auditText(p["PublicAccessBlockConfiguration"]) != `{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}` {
			t.Errorf("bucket %s: Block Public Access %s, want all four on", id, auditText(p["PublicAccessBlockConfiguration"]))
		}
		if auditText(p["VersioningConfiguration"]) != `{"Status":"Enabled"}` {
			t.Errorf("bucket %s: versioning off", id)
		}
		if auditText(p["OwnershipControls"]) != `{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]}` {
			t.Errorf("bucket %s: ACLs not disabled: %s", id, auditText(p["OwnershipControls"]))
		}
		if b["DeletionPolicy"] != "Retain" || b["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("bucket %s: DeletionPolicy %v, want Retain", id, b["DeletionPolicy"])
		}
		rules := p["LifecycleConfiguration"].(map[string]interface{})["Rules"].([]interface{})
		rule := rules[0].(map[string]interface{})
		if len(rules) != 1 || rule["ExpirationInDays"] != float64(audittrail.DefaultRetentionDays) ||
			auditText(rule["Transitions"]) != `[{"StorageClass":"GLACIER","TransitionInDays":90}]` {
			t.Errorf("bucket %s: lifecycle %s, want Glacier at 90 days and expiry at %d", id, auditText(rules), audittrail.DefaultRetentionDays)
		}
		sse := auditText(p["BucketEncryption"])
		if id == accessID {
			// S3 server access logging delivers only to SSE-S3 buckets.
			if !strings.Contains(sse, `"SSEAlgorithm":"AES256"`) || p["LoggingConfiguration"] != nil || p["ObjectLockConfiguration"] != nil {
				t.Errorf("access-log bucket: encryption %s, logging %v, lock %v", sse, p["LoggingConfiguration"], p["ObjectLockConfiguration"])
			}
			continue
		}
		if !strings.Contains(sse, `"SSEAlgorithm":"aws:kms"`) || !strings.Contains(sse, keyID) {
			t.Errorf("bucket %s: encryption %s, want SSE-KMS with %s", id, sse, keyID)
		}
		if refTo(p["LoggingConfiguration"].(map[string]interface{})["DestinationBucketName"]) != accessID {
			t.Errorf("bucket %s: server access logs go to %v, want %s", id, p["LoggingConfiguration"], accessID)
		}
	}
	// Object Lock, governance mode by default, locked for the whole retention.
	_, trailBucket := auditByPath(t, tmpl, "AWS::S3::Bucket", "/TrailBucket/Resource")
	if p := props(trailBucket); p["ObjectLockEnabled"] != true ||
		auditText(p["ObjectLockConfiguration"]) != `{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Days":2192,"Mode":"GOVERNANCE"}}}` {
		t.Errorf("trail bucket Object Lock %v %s", p["ObjectLockEnabled"], auditText(p["ObjectLockConfiguration"]))
	}

	// Every bucket policy denies non-TLS and pre-1.2 TLS requests.
	policies := resourcesOf(tmpl, "AWS::S3::BucketPolicy")
	if len(policies) != 3 {
		t.Fatalf("want 3 bucket policies, got %d", len(policies))
	}
	for id, bp := range policies {
		doc := props(bp)["PolicyDocument"]
		if !auditDenies(doc, `"aws:SecureTransport":"false"`) || !auditDenies(doc, `"s3:TlsVersion":1.2`) {
			t.Errorf("bucket policy %s does not deny insecure transport: %s", id, auditText(doc))
		}
	}
	// Only this trail may write, and only under AWSLogs/<account>/.
	_, tp := auditByPath(t, tmpl, "AWS::S3::BucketPolicy", "/TrailBucket/Policy/Resource")
	doc := props(tp)["PolicyDocument"]
	for _, sid := range []string{"AWSCloudTrailAclCheck", "AWSCloudTrailWrite"} {
		st := auditStatement(t, doc, sid)
		if st["Effect"] != "Allow" || auditText(st["Principal"]) != `{"Service":"cloudtrail.amazonaws.com"}` ||
			!strings.Contains(auditText(st["Condition"]), ":trail/"+auditDefaultTrailName) {
			t.Errorf("%s: %s, want CloudTrail limited to this trail", sid, auditText(st))
		}
	}
	write := auditStatement(t, doc, "AWSCloudTrailWrite")
	if !strings.Contains(auditText(write["Resource"]), `/AWSLogs/`) || !strings.Contains(auditText(write["Condition"]), `"s3:x-amz-acl":"bucket-owner-full-control"`) {
		t.Errorf("AWSCloudTrailWrite %s", auditText(write))
	}
}

func TestAuditTrailLogGroup(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	id, g := only(t, resourcesOf(tmpl, "AWS::Logs::LogGroup"), "AWS::Logs::LogGroup")
	keyID, _ := auditByPath(t, tmpl, "AWS::KMS::Key", "/Key/Resource")
	if p := props(g); refTo(p["KmsKeyId"]) != keyID || p["RetentionInDays"] != float64(audittrail.DefaultLogGroupRetentionDays) || g["DeletionPolicy"] != "Retain" {
		t.Errorf("log group %s: key %v, retention %v, DeletionPolicy %v", id, p["KmsKeyId"], p["RetentionInDays"], g["DeletionPolicy"])
	}
}

func TestAuditTrailSecurityAlarmsAccessor(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	if auditAlarmRefs != len(audittrail.Alarms()) {
		t.Fatalf("SecurityAlarms() gave %d alarms (-1: a second call gave other values), want %d", auditAlarmRefs, len(audittrail.Alarms()))
	}
	out := (*tmpl.FindOutputs(jsii.String("RootAccountUsageAlarm"), nil))["RootAccountUsageAlarm"]
	id, _ := auditByPath(t, tmpl, "AWS::CloudWatch::Alarm", "/AlarmRootAccountUsage/Resource")
	if out == nil {
		t.Fatal("no RootAccountUsageAlarm output")
	}
	if got := strings.TrimSpace(auditText((*out)["Value"])); got != `{"Fn::GetAtt":["`+id+`","Arn"]}` {
		t.Errorf("SecurityAlarms()[RootAccountUsage].AlarmArn() = %s, want the ARN of %s", got, id)
	}
}

func TestAuditTrailSecurityAlarms(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	catalogue := audittrail.Alarms()
	if len(catalogue) != len(wantAlarmIDs) {
		t.Fatalf("catalogue has %d alarms, spec requires %d", len(catalogue), len(wantAlarmIDs))
	}
	specs := map[string]audittrail.AlarmSpec{}
	for _, a := range catalogue {
		specs[a.ID] = a
	}
	for _, id := range wantAlarmIDs {
		if _, ok := specs[id]; !ok {
			t.Errorf("catalogue lacks alarm %s", id)
		}
	}
	groupID, _ := only(t, resourcesOf(tmpl, "AWS::Logs::LogGroup"), "AWS::Logs::LogGroup")
	topicID, _ := only(t, resourcesOf(tmpl, "AWS::SNS::Topic"), "AWS::SNS::Topic")

	filters := map[string]string{} // metric name -> pattern
	fs := resourcesOf(tmpl, "AWS::Logs::MetricFilter")
	for id, f := range fs {
		p := props(f)
		if refTo(p["LogGroupName"]) != groupID {
			t.Errorf("filter %s reads %v, want the trail log group", id, p["LogGroupName"])
		}
		mt := p["MetricTransformations"].([]interface{})[0].(map[string]interface{})
		if mt["MetricNamespace"] != audittrail.MetricNamespace || mt["MetricValue"] != "1" {
			t.Errorf("filter %s: %s", id, auditText(mt))
		}
		filters[mt["MetricName"].(string)] = p["FilterPattern"].(string)
	}
	alarms := resourcesOf(tmpl, "AWS::CloudWatch::Alarm")
	if len(fs) != len(catalogue) || len(alarms) != len(catalogue) {
		t.Fatalf("%d filters and %d alarms, want %d of each", len(fs), len(alarms), len(catalogue))
	}
	seen := map[string]bool{}
	for id, a := range alarms {
		p := props(a)
		name, _ := p["MetricName"].(string)
		spec, ok := specs[name]
		if !ok {
			t.Errorf("alarm %s on unknown metric %q", id, name)
			continue
		}
		seen[name] = true
		if filters[name] != spec.Pattern {
			t.Errorf("%s filter pattern\n got %s\nwant %s", name, filters[name], spec.Pattern)
		}
		if p["Threshold"] != spec.Threshold || p["ComparisonOperator"] != "GreaterThanOrEqualToThreshold" ||
			p["EvaluationPeriods"] != float64(1) || p["Period"] != float64(audittrail.AlarmPeriodMinutes*60) ||
			p["Statistic"] != "Sum" || p["TreatMissingData"] != "notBreaching" || p["Namespace"] != audittrail.MetricNamespace {
			t.Errorf("alarm %s: %s", name, auditText(p))
		}
		actions := p["AlarmActions"].([]interface{})
		if len(actions) != 1 || refTo(actions[0]) != topicID {
			t.Errorf("alarm %s actions %v, want the topic %s", name, actions, topicID)
		}
		if d := p["AlarmDescription"]; d != spec.Description() || !strings.Contains(spec.Description(), "Restore safety: ") || spec.Runbook == "" {
			t.Errorf("alarm %s description %q, want what it detected and the runbook", name, d)
		}
	}
	if len(seen) != len(catalogue) {
		t.Errorf("alarms cover %d catalogue entries, want %d", len(seen), len(catalogue))
	}
	// Check every pattern against the CIS AWS Foundations Benchmark
	// monitoring controls (4.1-4.15; Security Hub CloudWatch.1-14), written
	// out here independently of the catalogue: each alarm must match at
	// least the CIS event names (an exact $.eventName=X term, OR-ed) and
	// carry the CIS field conditions. Extra events are allowed.
	for _, id := range wantAlarmIDs {
		if _, ok := cisAlarmPatterns[id]; !ok {
			t.Errorf("alarm %s has no independent CIS pattern check", id)
		}
	}
	for name, want := range cisAlarmPatterns {
		pattern, ok := filters[name]
		if !ok {
			t.Errorf("no metric filter for %s", name)
			continue
		}
		events := auditEventNames(pattern)
		for _, e := range want.events {
			if !events[e] {
				t.Errorf("%s pattern lacks event %s (CIS): %s", name, e, pattern)
			}
		}
		for _, c := range want.conds {
			if !strings.Contains(pattern, c) {
				t.Errorf("%s pattern lacks %s (CIS): %s", name, c, pattern)
			}
		}
		if len(want.events) > 1 && strings.Count(pattern, "||") < len(want.events)-1 {
			t.Errorf("%s pattern must OR its %d events: %s", name, len(want.events), pattern)
		}
	}
}

// cisAlarmPatterns is what each alarm must match, from the CIS AWS
// Foundations Benchmark (v1.4+) metric filters and the AWS CloudTrail
// metric filter examples.
var cisAlarmPatterns = map[string]struct{ events, conds []string }{
	"UnauthorizedApiCalls": {conds: []string{
		`$.errorCode="*UnauthorizedOperation"`, `$.errorCode="AccessDenied*"`, "||",
		`$.sourceIPAddress!="delivery.logs.amazonaws.com"`, `$.eventName!="HeadBucket"`,
	}},
	"ConsoleSignInWithoutMfa": {events: []string{"ConsoleLogin"}, conds: []string{
		`$.additionalEventData.MFAUsed!="Yes"`, `$.userIdentity.type="IAMUser"`, `$.responseElements.ConsoleLogin="Success"`,
	}},
	"RootAccountUsage": {conds: []string{
		`$.userIdentity.type="Root"`, `$.userIdentity.invokedBy NOT EXISTS`, `$.eventType!="AwsServiceEvent"`,
	}},
	"IamPolicyChanges": {events: []string{
		"DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
		"CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy",
		"AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy",
	}},
	"CloudTrailChanges":     {events: []string{"CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"}},
	"ConsoleSignInFailures": {events: []string{"ConsoleLogin"}, conds: []string{`$.errorMessage="Failed authentication"`, "&&"}},
	"KmsKeyDisabledOrScheduledForDeletion": {
		events: []string{"DisableKey", "ScheduleKeyDeletion"},
		conds:  []string{`$.eventSource=kms.amazonaws.com`},
	},
	"S3BucketPolicyChanges": {events: []string{
		"PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
		"DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication",
	}, conds: []string{`$.eventSource=s3.amazonaws.com`}},
	"ConfigChanges": {
		events: []string{"StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"},
		conds:  []string{`$.eventSource=config.amazonaws.com`},
	},
	"SecurityGroupChanges": {events: []string{
		"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
		"RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup",
	}},
	"NetworkAclChanges": {events: []string{
		"CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
		"ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation",
	}},
	"NetworkGatewayChanges": {events: []string{
		"CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
		"DeleteInternetGateway", "DetachInternetGateway",
	}},
	"RouteTableChanges": {events: []string{
		"CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
		"DeleteRoute", "DisassociateRouteTable",
	}, conds: []string{`$.eventSource=ec2.amazonaws.com`}},
	"VpcChanges": {events: []string{
		"CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
		"DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
		"DisableVpcClassicLink", "EnableVpcClassicLink",
	}},
	"OrganizationsChanges": {events: []string{
		"AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake",
		"DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy", "DisablePolicyType",
		"EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
		"RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit",
	}, conds: []string{`$.eventSource=organizations.amazonaws.com`}},
}

// auditEventNamePattern matches a positive event-name term, quoted or not:
// $.eventName=X or $.eventName = "X" (not $.eventName!=X).
var auditEventNamePattern = regexp.MustCompile(`\$\.eventName\s*=\s*"?([A-Za-z0-9]+)"?`)

// auditEventNames returns the event names a filter pattern matches on.
func auditEventNames(pattern string) map[string]bool {
	out := map[string]bool{}
	for _, m := range auditEventNamePattern.FindAllStringSubmatch(pattern, -1) {
		out[m[1]] = true
	}
	return out
}

func TestAuditTrailTopic(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	topicID, topic := only(t, resourcesOf(tmpl, "AWS::SNS::Topic"), "AWS::SNS::Topic")
	topicKeyID, _ := auditByPath(t, tmpl, "AWS::KMS::Key", "/TopicKey/Resource")
	if refTo(props(topic)["KmsMasterKeyId"]) != topicKeyID {
		t.Errorf("topic key %v, want %s", props(topic)["KmsMasterKeyId"], topicKeyID)
	}
	_, tp := only(t, resourcesOf(tmpl, "AWS::SNS::TopicPolicy"), "AWS::SNS::TopicPolicy")
	doc := props(tp)["PolicyDocument"]
	if !auditDenies(doc, `"aws:SecureTransport":"false"`) {
		t.Errorf("topic policy does not deny non-TLS publishing: %s", auditText(doc))
	}
	for sid, svc := range map[string]string{"AllowThisAccountsAlarmsToPublish": "cloudwatch", "AllowThisAccountsEventRulesToPublish": "events"} {
		st := auditStatement(t, doc, sid)
		cond := auditText(st["Condition"])
		if auditText(st["Principal"]) != `{"Service":"`+svc+`.amazonaws.com"}` || st["Action"] != "sns:Publish" ||
			refTo(st["Resource"]) != topicID || !strings.Contains(cond, `"aws:SourceAccount"`) || !strings.Contains(cond, ":"+svc+":") {
			t.Errorf("%s: %s", sid, auditText(st))
		}
	}
	tmpl.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(0))
}

func TestAuditTrailConfigRecorder(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	recID, rec := only(t, resourcesOf(tmpl, "AWS::Config::ConfigurationRecorder"), "AWS::Config::ConfigurationRecorder")
	if g := auditText(props(rec)["RecordingGroup"]); g != `{"AllSupported":true,"IncludeGlobalResourceTypes":true}` {
		t.Errorf("recording group %s, want all supported types and global resources", g)
	}
	roleID, role := auditByPath(t, tmpl, "AWS::IAM::Role", "/ConfigRole/Resource")
	if refTo(props(rec)["RoleARN"]) != roleID || !strings.Contains(auditText(props(role)["ManagedPolicyArns"]), "service-role/AWS_ConfigRole") {
		t.Errorf("recorder role %v / managed policies %s", props(rec)["RoleARN"], auditText(props(role)["ManagedPolicyArns"]))
	}
	_, ch := only(t, resourcesOf(tmpl, "AWS::Config::DeliveryChannel"), "AWS::Config::DeliveryChannel")
	configBucketID, _ := auditByPath(t, tmpl, "AWS::S3::Bucket", "/ConfigBucket/Resource")
	keyID, _ := auditByPath(t, tmpl, "AWS::KMS::Key", "/Key/Resource")
	p := props(ch)
	if refTo(p["S3BucketName"]) != configBucketID || refTo(p["S3KmsKeyArn"]) != keyID || p["S3KeyPrefix"] != audittrail.ConfigKeyPrefix {
		t.Errorf("delivery channel %s", auditText(p))
	}
	if !strings.Contains(auditText(ch["DependsOn"]), recID) {
		t.Errorf("delivery channel must follow the recorder: DependsOn %v", ch["DependsOn"])
	}
	// The Config bucket has no Object Lock default retention: Config cannot
	// deliver to such a bucket.
	_, cb := auditByPath(t, tmpl, "AWS::S3::Bucket", "/ConfigBucket/Resource")
	if props(cb)["ObjectLockConfiguration"] != nil {
		t.Error("Config bucket must not have an Object Lock default retention")
	}
}

func TestAuditTrailConfigRules(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	rules := resourcesOf(tmpl, "AWS::Config::ConfigRule")
	if len(rules) != len(wantConfigRules) || len(audittrail.ConfigRules()) != len(wantConfigRules) {
		t.Fatalf("%d rules in the template, %d in the catalogue, want %d", len(rules), len(audittrail.ConfigRules()), len(wantConfigRules))
	}
	channelID, _ := only(t, resourcesOf(tmpl, "AWS::Config::DeliveryChannel"), "AWS::Config::DeliveryChannel")
	have := map[string]bool{}
	for id, r := range rules {
		src := props(r)["Source"].(map[string]interface{})
		if src["Owner"] != "AWS" {
			t.Errorf("rule %s owner %v, want AWS (managed)", id, src["Owner"])
		}
		have[src["SourceIdentifier"].(string)] = true
		if !strings.Contains(auditText(r["DependsOn"]), channelID) {
			t.Errorf("rule %s must be created after the recorder and delivery channel: %v", id, r["DependsOn"])
		}
	}
	for _, w := range wantConfigRules {
		if !have[w] {
			t.Errorf("missing Config rule %s", w)
		}
	}
}

func TestAuditTrailComplianceNotifications(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	topicID, _ := only(t, resourcesOf(tmpl, "AWS::SNS::Topic"), "AWS::SNS::Topic")
	remediation := map[string]string{} // config rule logical ID -> remediation line
	for id, r := range resourcesOf(tmpl, "AWS::Config::ConfigRule") {
		src := props(r)["Source"].(map[string]interface{})["SourceIdentifier"]
		for _, spec := range audittrail.ConfigRules() {
			if spec.SourceIdentifier == src {
				remediation[id] = spec.Remediation
			}
		}
	}
	covered := map[string]bool{}
	for id, r := range resourcesOf(tmpl, "AWS::Events::Rule") {
		p := props(r)
		pattern := p["EventPattern"].(map[string]interface{})
		if auditText(pattern["source"]) == `["aws.guardduty"]` {
			continue
		}
		detail := pattern["detail"].(map[string]interface{})
		if auditText(pattern["source"]) != `["aws.config"]` || auditText(pattern["detail-type"]) != `["Config Rules Compliance Change"]` ||
			auditText(detail["newEvaluationResult"]) != `{"complianceType":["NON_COMPLIANT"]}` {
			t.Errorf("event rule %s pattern %s", id, auditText(pattern))
		}
		names := detail["configRuleName"].([]interface{})
		ruleID := refTo(names[0])
		line, ok := remediation[ruleID]
		if len(names) != 1 || !ok {
			t.Errorf("event rule %s matches %v, want exactly one of the Config rules", id, names)
			continue
		}
		covered[ruleID] = true
		targets := p["Targets"].([]interface{})
		target := targets[0].(map[string]interface{})
		if len(targets) != 1 || refTo(target["Arn"]) != topicID {
			t.Errorf("event rule %s targets %s, want the topic", id, auditText(targets))
		}
		it := target["InputTransformer"].(map[string]interface{})
		paths := it["InputPathsMap"].(map[string]interface{})
		if paths["rule"] != "$.detail.configRuleName" || paths["resource"] != "$.detail.resourceId" {
			t.Errorf("event rule %s input paths %s", id, auditText(paths))
		}
		var msg string
		if err := json.Unmarshal([]byte(it["InputTemplate"].(string)), &msg); err != nil {
			t.Errorf("event rule %s: template is not a JSON string: %v", id, err)
		}
		if !strings.Contains(msg, "<rule>") || !strings.Contains(msg, "<resource>") || !strings.HasSuffix(msg, "Remediation: "+line) {
			t.Errorf("event rule %s message %q, want the rule, the resource and %q", id, msg, line)
		}
	}
	if len(covered) != len(wantConfigRules) {
		t.Errorf("%d Config rules have a notification, want all %d", len(covered), len(wantConfigRules))
	}
}

func TestAuditTrailThreatDetection(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	_, d := only(t, resourcesOf(tmpl, "AWS::GuardDuty::Detector"), "AWS::GuardDuty::Detector")
	if p := props(d); p["Enable"] != true || p["FindingPublishingFrequency"] != audittrail.GuardDutyPublishingFrequency {
		t.Errorf("detector %s", auditText(p))
	}
	tmpl.ResourceCountIs(jsii.String("AWS::SecurityHub::Hub"), jsii.Number(0))
	topicID, _ := only(t, resourcesOf(tmpl, "AWS::SNS::Topic"), "AWS::SNS::Topic")
	_, gd := auditByPath(t, tmpl, "AWS::Events::Rule", "/GuardDutyHighSeverityFindings")
	p := props(gd)
	if auditText(p["EventPattern"]) != `{"detail":{"severity":[{"numeric":[">=",7]}]},"detail-type":["GuardDuty Finding"],"source":["aws.guardduty"]}` ||
		refTo(p["Targets"].([]interface{})[0].(map[string]interface{})["Arn"]) != topicID {
		t.Errorf("GuardDuty findings rule %s", auditText(p))
	}

	over := auditOverrides.get(t).template(t, "AuditOverrides")
	over.HasResourceProperties(jsii.String("AWS::SecurityHub::Hub"), map[string]interface{}{"EnableDefaultStandards": true})
	pack := auditPack.get(t).template(t, "AuditPack")
	pack.ResourceCountIs(jsii.String("AWS::GuardDuty::Detector"), jsii.Number(0))
	// Findings of an organization-managed detector still notify.
	auditByPath(t, pack, "AWS::Events::Rule", "/GuardDutyHighSeverityFindings")
}

func TestAuditTrailOverrides(t *testing.T) {
	tmpl := auditOverrides.get(t).template(t, "AuditOverrides")
	// UseExistingRecorder: no recorder, channel, role or Config bucket, but
	// the rules and their notifications remain.
	for _, typ := range []string{"AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel"} {
		tmpl.ResourceCountIs(jsii.String(typ), jsii.Number(0))
	}
	tmpl.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(2))
	tmpl.ResourceCountIs(jsii.String("AWS::IAM::Role"), jsii.Number(1))
	rules := resourcesOf(tmpl, "AWS::Config::ConfigRule")
	if len(rules) != len(wantConfigRules) {
		t.Errorf("%d Config rules, want %d with an existing recorder", len(rules), len(wantConfigRules))
	}
	for id, r := range rules {
		if r["DependsOn"] != nil {
			t.Errorf("rule %s depends on %v; with an existing recorder there is nothing to wait for", id, r["DependsOn"])
		}
	}
	tmpl.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(len(wantConfigRules)+1))

	_, tb := auditByPath(t, tmpl, "AWS::S3::Bucket", "/TrailBucket/Resource")
	p := props(tb)
	if got := auditText(p["ObjectLockConfiguration"]); got != `{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Days":2192,"Mode":"COMPLIANCE"}}}` {
		t.Errorf("Object Lock %s, want COMPLIANCE for 2192 days", got)
	}
	if !strings.Contains(auditText(p["LifecycleConfiguration"]), `"ExpirationInDays":3653`) {
		t.Errorf("lifecycle %s, want expiry at 3653 days", auditText(p["LifecycleConfiguration"]))
	}
	_, g := only(t, resourcesOf(tmpl, "AWS::Logs::LogGroup"), "AWS::Logs::LogGroup")
	if props(g)["RetentionInDays"] != float64(365) {
		t.Errorf("log group retention %v, want 365", props(g)["RetentionInDays"])
	}

	_, trail := only(t, resourcesOf(tmpl, "AWS::CloudTrail::Trail"), "AWS::CloudTrail::Trail")
	tp := props(trail)
	if tp["TrailName"] != "org-audit" {
		t.Errorf("TrailName %v", tp["TrailName"])
	}
	_, key := auditByPath(t, tmpl, "AWS::KMS::Key", "/Key/Resource")
	if st := auditStatement(t, props(key)["KeyPolicy"], "AllowCloudTrailToEncryptForThisTrailOnly"); !strings.Contains(auditText(st["Condition"]), "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-audit") {
		t.Errorf("key policy not limited to org-audit: %s", auditText(st["Condition"]))
	}
	if got := auditText(tp["EventSelectors"]); got != `[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::example-phi-records/"]}],"IncludeManagementEvents":true,"ReadWriteType":"All"}]` {
		t.Errorf("event selectors %s, want data events for the PHI bucket", got)
	}
	if got := auditText(tp["InsightSelectors"]); got != `[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight"}]` {
		t.Errorf("insights %s", got)
	}

	subs := map[string]string{}
	for _, s := range resourcesOf(tmpl, "AWS::SNS::Subscription") {
		subs[props(s)["Protocol"].(string)] = props(s)["Endpoint"].(string)
	}
	if len(subs) != 2 || subs["email"] != "security@example.com" || subs["https"] != "https://events.example.com/hooks/aws" {
		t.Errorf("subscriptions %v, want the email and the https endpoint", subs)
	}
}

func TestAuditTrailConformancePackMode(t *testing.T) {
	tmpl := auditPack.get(t).template(t, "AuditPack")
	tmpl.ResourceCountIs(jsii.String("AWS::Config::ConfigRule"), jsii.Number(0))
	_, pack := only(t, resourcesOf(tmpl, "AWS::Config::ConformancePack"), "AWS::Config::ConformancePack")
	if props(pack)["TemplateS3Uri"] != "s3://example-templates/Operational-Best-Practices-for-HIPAA-Security.yaml" || props(pack)["ConformancePackName"] == nil {
		t.Errorf("conformance pack %s", auditText(props(pack)))
	}
	channelID, _ := only(t, resourcesOf(tmpl, "AWS::Config::DeliveryChannel"), "AWS::Config::DeliveryChannel")
	if !strings.Contains(auditText(pack["DependsOn"]), channelID) {
		t.Errorf("pack must follow the delivery channel: %v", pack["DependsOn"])
	}
	_, rec := only(t, resourcesOf(tmpl, "AWS::Config::ConfigurationRecorder"), "AWS::Config::ConfigurationRecorder")
	if auditText(props(rec)["RecordingGroup"]) != `{"AllSupported":true,"IncludeGlobalResourceTypes":false}` {
		t.Errorf("DisableGlobalResourceRecording: %s", auditText(props(rec)["RecordingGroup"]))
	}
	// One rule notifies every NON_COMPLIANT result, with the generic line.
	_, r := auditByPath(t, tmpl, "AWS::Events::Rule", "/NonCompliantConformancePack")
	p := props(r)
	detail := p["EventPattern"].(map[string]interface{})["detail"].(map[string]interface{})
	if detail["configRuleName"] != nil || auditText(detail["newEvaluationResult"]) != `{"complianceType":["NON_COMPLIANT"]}` {
		t.Errorf("pack event pattern %s", auditText(p["EventPattern"]))
	}
	if tpl := auditText(p["Targets"]); !strings.Contains(tpl, "Remediation: "+audittrail.ConformancePackRemediation[:20]) {
		t.Errorf("pack notification %s", tpl)
	}
	tmpl.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(2)) // + GuardDuty findings
	_, trail := only(t, resourcesOf(tmpl, "AWS::CloudTrail::Trail"), "AWS::CloudTrail::Trail")
	if got := auditText(props(trail)["EventSelectors"]); !strings.Contains(got, `"Values":[{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":s3"]]}]`) {
		t.Errorf("AllS3DataEvents selectors %s", got)
	}
}

// Suppressions sit on the three buckets only: replication on each, and
// SSE-KMS on the access-log bucket.
func TestAuditTrailSuppressionsAreNarrow(t *testing.T) {
	tmpl := auditDefaults.get(t).template(t, "AuditDefaults")
	accessID, _ := auditByPath(t, tmpl, "AWS::S3::Bucket", "/AccessLogBucket/Resource")
	var all []string
	resources := (*tmpl.ToJSON())["Resources"].(map[string]interface{})
	for id, raw := range resources {
		r := raw.(map[string]interface{})
		rules := suppressedRules(r)
		sort.Strings(rules)
		all = append(all, rules...)
		switch {
		case len(rules) == 0:
		case r["Type"] != "AWS::S3::Bucket":
			t.Errorf("unexpected suppression %v on %s (%v)", rules, id, r["Type"])
		case id == accessID:
			if strings.Join(rules, ",") != "HIPAA.Security-S3BucketReplicationEnabled,HIPAA.Security-S3DefaultEncryptionKMS" {
				t.Errorf("access-log bucket suppressions %v", rules)
			}
		default:
			if strings.Join(rules, ",") != "HIPAA.Security-S3BucketReplicationEnabled" {
				t.Errorf("bucket %s suppressions %v", id, rules)
			}
		}
	}
	if len(all) != 4 {
		t.Errorf("want 4 suppressions (3 replication, 1 SSE-KMS), got %v", all)
	}
}
