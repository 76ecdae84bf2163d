package phibucket

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// The S3 and KMS actions of each grant: exactly what reading or writing
// SSE-KMS objects needs. Reads decrypt the object's data key; writes
// generate one, and Decrypt it again to complete a multipart upload.
var (
	readObjectActions  = []string{"s3:GetObject", "s3:GetObjectVersion"}
	readBucketActions  = []string{"s3:ListBucket"}
	readKeyActions     = []string{"kms:Decrypt"}
	writeObjectActions = []string{"s3:PutObject", "s3:AbortMultipartUpload"}
	writeKeyActions    = []string{"kms:Decrypt", "kms:GenerateDataKey"}
)

// access is one statement of a grant: actions on a resource, with the
// kms:ViaService condition for the key.
type access struct {
	actions  []string
	resource *string
	viaS3    bool
}

func (b *PhiBucket) readAccess() []access {
	return []access{
		{readObjectActions, b.bucket.ArnForObjects(jsii.String("*")), false},
		{readBucketActions, b.bucket.BucketArn(), false},
		{readKeyActions, b.key.KeyArn(), true},
	}
}

func (b *PhiBucket) writeAccess() []access {
	return []access{
		{writeObjectActions, b.bucket.ArnForObjects(jsii.String("*")), false},
		{writeKeyActions, b.key.KeyArn(), true},
	}
}

func (b *PhiBucket) readWriteAccess() []access {
	return []access{
		{append(append([]string{}, readObjectActions...), writeObjectActions...), b.bucket.ArnForObjects(jsii.String("*")), false},
		{readBucketActions, b.bucket.BucketArn(), false},
		{writeKeyActions, b.key.KeyArn(), true}, // includes kms:Decrypt
	}
}

// ReadPolicyStatements let a principal list the bucket and read every object
// version (the key only through S3 in the bucket's region). Put them in an
// awsiam.ManagedPolicy attached to the principal to keep inline policies out
// of the template (cdk-nag IAMNoInlinePolicy).
func (b *PhiBucket) ReadPolicyStatements() []awsiam.PolicyStatement {
	return b.statements(b.readAccess())
}

// WritePolicyStatements let a principal upload objects (single or
// multipart, encrypted with the bucket's key) and abort its uploads. They
// grant no delete, no tagging and no permanent version deletion. For a
// managed policy, as ReadPolicyStatements.
func (b *PhiBucket) WritePolicyStatements() []awsiam.PolicyStatement {
	return b.statements(b.writeAccess())
}

// ReadWritePolicyStatements are ReadPolicyStatements and
// WritePolicyStatements in one set, each action once.
func (b *PhiBucket) ReadWritePolicyStatements() []awsiam.PolicyStatement {
	return b.statements(b.readWriteAccess())
}

// GrantRead gives grantee ReadPolicyStatements. CDK puts them in the
// grantee's inline default policy, which cdk-nag's IAMNoInlinePolicy flags:
// prefer ReadPolicyStatements in a managed policy.
func (b *PhiBucket) GrantRead(grantee awsiam.IGrantable) awsiam.Grant {
	return b.grant("GrantRead", grantee, b.readAccess())
}

// GrantWrite gives grantee WritePolicyStatements (inline; see GrantRead).
func (b *PhiBucket) GrantWrite(grantee awsiam.IGrantable) awsiam.Grant {
	return b.grant("GrantWrite", grantee, b.writeAccess())
}

// GrantReadWrite gives grantee ReadWritePolicyStatements (inline; see GrantRead).
func (b *PhiBucket) GrantReadWrite(grantee awsiam.IGrantable) awsiam.Grant {
	return b.grant("GrantReadWrite", grantee, b.readWriteAccess())
}

func (b *PhiBucket) grant(method string, grantee awsiam.IGrantable, list []access) awsiam.Grant {
	if grantee == nil {
		validate.Must(fail(method+"(grantee)", "a grantee is required"))
	}
	var grant awsiam.Grant
	for _, a := range list {
		opts := &awsiam.GrantOnPrincipalOptions{Grantee: grantee, Actions: jsii.Strings(a.actions...), ResourceArns: &[]*string{a.resource}}
		if a.viaS3 {
			eq := map[string]interface{}{"kms:ViaService": viaS3(b)}
			opts.Conditions = &map[string]*map[string]interface{}{"StringEquals": &eq}
		}
		g := awsiam.Grant_AddToPrincipal(opts)
		if grant == nil {
			grant = g
		} else {
			grant = grant.Combine(g)
		}
	}
	return grant
}

func (b *PhiBucket) statements(list []access) []awsiam.PolicyStatement {
	var out []awsiam.PolicyStatement
	for _, a := range list {
		p := &awsiam.PolicyStatementProps{Actions: jsii.Strings(a.actions...), Resources: &[]*string{a.resource}}
		if a.viaS3 {
			p.Conditions = &map[string]interface{}{"StringEquals": map[string]interface{}{"kms:ViaService": viaS3(b)}}
		}
		out = append(out, awsiam.NewPolicyStatement(p))
	}
	return out
}

// viaS3 is the kms:ViaService value of S3 in the bucket's region.
func viaS3(b *PhiBucket) *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("s3."), base.Region(base.StackOf(b)), jsii.String(".amazonaws.com")})
}
