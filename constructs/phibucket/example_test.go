package phibucket_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phibucket"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }

// A PHI bucket under Object Lock whose server access logs go to the audit
// layer's access-log bucket; the trail records its object reads and writes
// (named, so the trail needs no reference to the bucket). The backend role
// reads and writes objects through a managed policy.
func ExampleNewPhiBucket() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("data"), nil)
	name := jsii.String("acme-phi-111111111111-us-east-1")
	audit := audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
		DataEventBuckets: &[]awss3.IBucket{awss3.Bucket_FromBucketName(stack, jsii.String("PhiRef"), name)},
	})
	b := phibucket.NewPhiBucket(stack, jsii.String("PhiBucket"), &phibucket.PhiBucketProps{
		AccessLogBucket: audit.AccessLogBucket(),
		BucketName:      name,
		ObjectLock:      &phibucket.ObjectLockProps{RetentionDays: jsii.Number(365)},
	})
	role := awsiam.NewRole(stack, jsii.String("BackendRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
	})
	stmts := b.ReadWritePolicyStatements()
	role.AddManagedPolicy(awsiam.NewManagedPolicy(stack, jsii.String("PhiObjects"), &awsiam.ManagedPolicyProps{
		Statements: &stmts,
	}))

	tmpl := assertions.Template_FromStack(stack, nil)
	id := *stack.GetLogicalId(b.Bucket().Node().DefaultChild().(awscdk.CfnElement))
	bucket := (*tmpl.FindResources(jsii.String("AWS::S3::Bucket"), nil))[id]
	p := (*bucket)["Properties"].(map[string]interface{})
	at := func(v interface{}, path ...interface{}) interface{} {
		for _, k := range path {
			switch k := k.(type) {
			case string:
				v = v.(map[string]interface{})[k]
			case int:
				v = v.([]interface{})[k]
			}
		}
		return v
	}
	sse := at(p, "BucketEncryption", "ServerSideEncryptionConfiguration", 0)
	fmt.Println("encryption:", at(sse, "ServerSideEncryptionByDefault", "SSEAlgorithm"), "bucket key:", at(sse, "BucketKeyEnabled"))
	lock := at(p, "ObjectLockConfiguration", "Rule", "DefaultRetention")
	fmt.Println("versioning:", at(p, "VersioningConfiguration", "Status"), "object lock:", at(lock, "Mode"), at(lock, "Days"), "days")
	fmt.Println("access logs:", at(p, "LoggingConfiguration", "LogFilePrefix"), "retained:", (*bucket)["DeletionPolicy"])
	// Output:
	// encryption: aws:kms bucket key: true
	// versioning: Enabled object lock: GOVERNANCE 365 days
	// access logs: phi-bucket/PhiBucket/ retained: Retain
}
