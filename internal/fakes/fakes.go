// Package fakes holds Go stand-ins for the aws-cdk-lib values the
// constructs' resolve functions read (a VPC and its subnets, peers, keys,
// certificates), so resolve is tested without jsii or Node.js.
//
// Each fake embeds the jsii interface it stands for and overrides only the
// methods resolve calls. The embedded interface is nil: any other method
// panics, which in a test says that resolve reached aws-cdk-lib. Only tests
// import this package.
package fakes

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
)

// Node is a construct's node: its path, default child and descendants.
type Node struct {
	constructs.Node
	P     string
	Child constructs.IConstruct // nil: an imported value, no L1 resource
	All   []constructs.IConstruct
}

func (n *Node) Path() *string                       { return &n.P }
func (n *Node) DefaultChild() constructs.IConstruct { return n.Child }

// FindAll returns All, in the order given (the tests list them in preorder).
func (n *Node) FindAll(constructs.ConstructOrder) *[]constructs.IConstruct { return &n.All }

// Key is a customer-managed KMS key, imported or created (N.Child).
type Key struct {
	awskms.IKey
	Arn, ID string
	N       Node
}

func (k *Key) KeyArn() *string       { return &k.Arn }
func (k *Key) KeyId() *string        { return &k.ID }
func (k *Key) Node() constructs.Node { return &k.N }

// Alias is a KMS alias passed where a key is expected.
type Alias struct {
	awskms.IAlias
	Name string
}

func (a *Alias) AliasName() *string { return &a.Name }

// InstanceType is an EC2 or RDS instance type. An empty Arch panics in
// Architecture, as CDK throws for a type it cannot parse.
type InstanceType struct {
	awsec2.InstanceType
	Name string
	Arch awsec2.InstanceArchitecture
}

func (t *InstanceType) ToString() *string { return &t.Name }

func (t *InstanceType) Architecture() awsec2.InstanceArchitecture {
	if t.Arch == "" {
		panic("Malformed instance type identifier\n    at InstanceType.get architecture")
	}
	return t.Arch
}

// Certificate is an ACM certificate (imported by ARN).
type Certificate struct {
	awscertificatemanager.ICertificate
	Arn string
}

func (c *Certificate) CertificateArn() *string { return &c.Arn }

// SamlProvider is an IAM SAML provider.
type SamlProvider struct {
	awsiam.ISamlProvider
	Arn string
}

func (p *SamlProvider) SamlProviderArn() *string { return &p.Arn }

// Topic is an SNS topic; N.Child is a CfnTopic when created in the app.
type Topic struct {
	awssns.ITopic
	Key awskms.IKey
	N   Node
}

func (t *Topic) MasterKey() awskms.IKey { return t.Key }
func (t *Topic) Node() constructs.Node  { return &t.N }

// CfnTopic makes a Topic one created in this app.
type CfnTopic struct{ awssns.CfnTopic }

// Bucket is an S3 bucket; Key is its default-encryption key (nil: SSE-S3).
type Bucket struct {
	awss3.IBucket
	Key awskms.IKey
	N   Node
}

func (b *Bucket) EncryptionKey() awskms.IKey { return b.Key }
func (b *Bucket) Node() constructs.Node      { return &b.N }
