package phibucket

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// newReplication replicates every object version, delete markers included,
// to the replica bucket, re-encrypted there with the replica's key. The
// role's permissions are a managed policy: the L2 bucket's replication
// rules would give it an inline one (cdk-nag IAMNoInlinePolicy).
func (b *PhiBucket) newReplication() {
	r := b.s.replication
	stack := base.StackOf(b)
	if *awscdk.Token_IsUnresolved(base.Region(stack)) {
		awscdk.Annotations_Of(b).AddWarningV2(jsii.String("hipaa-baseline:replicationRegionUnchecked"), jsii.String(
			constructName+": the stack is environment-agnostic, so synth cannot check that Replication's destination region ("+r.region+
				") differs from the bucket's: pin the stack to its region"), nil)
	}
	role := awsiam.NewRole(b, jsii.String("ReplicationRole"), &awsiam.RoleProps{
		Description: jsii.String("S3 replication of one PHI bucket to its replica in " + r.region),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("s3.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]interface{}{
				"StringEquals": map[string]interface{}{"aws:SourceAccount": base.Account(stack)},
			},
		}),
	})
	stmt := func(actions []string, resource *string, cond map[string]interface{}) awsiam.PolicyStatement {
		p := &awsiam.PolicyStatementProps{Actions: jsii.Strings(actions...), Resources: &[]*string{resource}}
		if cond != nil {
			p.Conditions = &cond
		}
		return awsiam.NewPolicyStatement(p)
	}
	via := func(region *string) map[string]interface{} {
		return map[string]interface{}{"StringEquals": map[string]interface{}{
			"kms:ViaService": awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("s3."), region, jsii.String(".amazonaws.com")}),
		}}
	}
	awsiam.NewManagedPolicy(b, jsii.String("ReplicationPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("S3 replication of one PHI bucket: read its versions, write them to the replica"),
		Roles:       &[]awsiam.IRole{role},
		Document: base.Minimized(
			stmt([]string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, b.bucket.BucketArn(), nil),
			stmt([]string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"},
				b.bucket.ArnForObjects(jsii.String("*")), nil),
			stmt([]string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, jsii.String(r.bucketArn+"/*"), nil),
			stmt([]string{"kms:Decrypt"}, b.key.KeyArn(), via(base.Region(stack))),
			stmt([]string{"kms:Encrypt", "kms:GenerateDataKey"}, jsii.String(r.keyArn), via(jsii.String(r.region))),
		),
	})
	b.replicaRole = role
	tagPHI(role)

	b.cfnBucket.SetReplicationConfiguration(&awss3.CfnBucket_ReplicationConfigurationProperty{
		Role: role.RoleArn(),
		Rules: &[]interface{}{&awss3.CfnBucket_ReplicationRuleProperty{
			Id:       jsii.String("ReplicateEveryVersionToTheReplicaRegion"),
			Status:   jsii.String("Enabled"),
			Priority: jsii.Number(1),
			Filter:   &awss3.CfnBucket_ReplicationRuleFilterProperty{Prefix: jsii.String("")},
			DeleteMarkerReplication: &awss3.CfnBucket_DeleteMarkerReplicationProperty{
				Status: jsii.String("Enabled"),
			},
			SourceSelectionCriteria: &awss3.CfnBucket_SourceSelectionCriteriaProperty{
				SseKmsEncryptedObjects: &awss3.CfnBucket_SseKmsEncryptedObjectsProperty{Status: jsii.String("Enabled")},
			},
			Destination: &awss3.CfnBucket_ReplicationDestinationProperty{
				Bucket:                  jsii.String(r.bucketArn),
				EncryptionConfiguration: &awss3.CfnBucket_EncryptionConfigurationProperty{ReplicaKmsKeyId: jsii.String(r.keyArn)},
			},
		}},
	})
	// The bucket cannot depend on the policy, which names the bucket: the
	// stack creates both before any application can write an object.
}
