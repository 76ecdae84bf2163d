package assertions_test

import (
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// Every environment's data stack has a PHI bucket whose every object read
// and write is a data event of the environment's trail, whose access logs
// go to the audit stack's access-log bucket, and which the profile protects
// with Object Lock (PHI) or the non-PHI opt-out (dev).
func TestAppPhiBucketIsAuditedInEveryEnvironment(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		data := s.template(t, p.Name+"-data")
		audit := s.template(t, p.Name+"-audit")
		id, b := only(t, resourcesOf(data, "AWS::S3::Bucket"), "AWS::S3::Bucket")
		name := props(b)["BucketName"]
		if !strings.Contains(jsonOf(name), stacks.Project+"-"+p.Name+"-phi") {
			t.Errorf("%s: bucket name %s", p.Name, jsonOf(name))
		}
		// The trail names the bucket by the same name expression (no
		// cross-stack reference: the data stack depends on the audit stack).
		_, trail := only(t, resourcesOf(audit, "AWS::CloudTrail::Trail"), "AWS::CloudTrail::Trail")
		sel := props(trail)["EventSelectors"].([]interface{})
		if len(sel) != 1 {
			t.Fatalf("%s: %d event selectors", p.Name, len(sel))
		}
		es := sel[0].(map[string]interface{})
		want := `[{"Type":"AWS::S3::Object","Values":[{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":s3:::",` + jsonOf(name) + `,"/"]]}]}]`
		if got := jsonOf(es["DataResources"]); got != want || es["ReadWriteType"] != "All" {
			t.Errorf("%s: trail data resources %s (%v), want %s for reads and writes", p.Name, got, es["ReadWriteType"], want)
		}
		if strings.Contains(jsonOf(trail), p.Name+"-data") {
			t.Errorf("%s: the audit stack must not reference the data stack", p.Name)
		}
		logging := jsonOf(props(b)["LoggingConfiguration"])
		if !strings.Contains(logging, `"StackName":"`+p.Name+`-audit"`) || !strings.Contains(logging, "AccessLogBucket") {
			t.Errorf("%s: access logs %s, want the audit stack's access-log bucket", p.Name, logging)
		}
		delivery := false
		for _, r := range resourcesOf(audit, "AWS::S3::BucketPolicy") {
			doc := jsonOf(props(r)["PolicyDocument"])
			if strings.Contains(doc, "logging.s3.amazonaws.com") && strings.Contains(doc, jsonOf(name)) && strings.Contains(doc, "phi-bucket/PhiBucket/*") {
				delivery = true
			}
		}
		if !delivery {
			t.Errorf("%s: the access-log bucket's policy does not admit the PHI bucket's logs", p.Name)
		}
		lock, _ := props(b)["ObjectLockConfiguration"].(map[string]interface{})
		switch {
		case p.HoldsPhi && !strings.Contains(jsonOf(lock), `"Days":`):
			t.Errorf("%s holds PHI: bucket %s has no Object Lock", p.Name, id)
		case !p.HoldsPhi && lock != nil:
			t.Errorf("%s holds no PHI: Object Lock %s", p.Name, jsonOf(lock))
		}
		if p.HoldsPhi && !strings.Contains(jsonOf(lock), `"Days":`+jsonOf(p.PhiBucketObjectLockDays)) {
			t.Errorf("%s: Object Lock %s, want %d days", p.Name, jsonOf(lock), p.PhiBucketObjectLockDays)
		}
	}
}
