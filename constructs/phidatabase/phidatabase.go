// Package phidatabase provides PhiDatabase: a PostgreSQL database (RDS or
// Aurora) for protected health information, in HipaaVpc's isolated data tier.
//
//	db := phidatabase.NewPhiDatabase(stack, jsii.String("Database"), &phidatabase.PhiDatabaseProps{
//		Vpc:          network.Vpc(),                        // a hipaavpc.HipaaVpc
//		AppClients:   &[]awsec2.IPeer{backendSecurityGroup}, // door 1: the app tier
//		AccessClient: access.SecurityGroup(),                // door 2: bastionaccess.BastionAccess
//	})
//	role.AddManagedPolicy(awsiam.NewManagedPolicy(stack, jsii.String("DbConnect"), &awsiam.ManagedPolicyProps{
//		Statements: &[]awsiam.PolicyStatement{db.ConnectPolicyStatement(jsii.String("app_user"))},
//	}))
//
// The value is a construct (Tags_Of, NewCfnOutput, ... take it). Bad props
// panic at synth with a *validation.Error before anything is created; a
// change made later that opens a third door or swaps the storage key fails
// synth. See README.md in this directory for every prop and default.
//
// Enforced (cannot be turned off): isolated data subnets only; never publicly
// accessible; a dedicated security group admitting only the database port
// from the given app-tier and access-tier security groups (no CIDR peers,
// no outbound rules); storage, Performance Insights, the master-user secret,
// the log groups and the backup vault encrypted with a customer-managed KMS
// key; TLS required and pgaudit on; log exports to retained, encrypted log
// groups; IAM database authentication; deletion protection; removal with a
// snapshot or retain; automated backups (1 to 35 days) and an AWS Backup
// plan. Multi-AZ can be turned off only with an explicit non-PHI opt-out.
package phidatabase

import (
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsbackup"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsrds"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// PhiDatabase is an encrypted, audited, backed-up PostgreSQL database.
type PhiDatabase struct {
	constructs.Construct
	instance   awsrds.DatabaseInstance // nil for Aurora
	cluster    awsrds.DatabaseCluster  // nil for RDS PostgreSQL
	endpoint   awsrds.Endpoint
	resourceID *string
	sg         awsec2.SecurityGroup
	cfnSG      awsec2.CfnSecurityGroup
	cfnDB      awscdk.CfnResource // the CfnDBInstance or CfnDBCluster
	clients    []awsec2.IPeer
	// clientSgIDs are the AppClients' and the AccessClient's group IDs and
	// sgID the database group's (tokens), read once for the guard.
	clientSgIDs map[string]bool
	sgID        string
	port        float64
	name        string
	engine      Engine
	key         awskms.IKey
	secret      awssecretsmanager.ISecret
	logGroups   []awslogs.ILogGroup
	vault       awsbackup.BackupVault
	plan        awsbackup.BackupPlan
}

// NewPhiDatabase creates the database. // Invalid props panic with a *validate.Error that names PhiDatabase and the
// prop, before any resource is created.
func NewPhiDatabase(scope constructs.Construct, id *string, props *PhiDatabaseProps) *PhiDatabase {
	if scope == nil || id == nil || *id == "" {
		validate.Must(fail("scope/id", "a scope and a non-empty id are required"))
	}
	s, err := resolve(props)
	validate.MustAt(scope, id, err)

	this := &PhiDatabase{}
	base.Init(this, scope, id)
	this.clients, this.port, this.name, this.engine = s.clients, s.port, s.databaseName, s.engine
	if props.EncryptionKey != nil {
		this.key = props.EncryptionKey
	} else {
		key := kmskeys.New(this, "Key", "PhiDatabase: encrypts the database, its secret, logs and backups")
		tagPHI(key)
		this.key = key
	}
	kmskeys.Provide(this, constructName, "EncryptionKey", this.key, kmskeys.CloudWatchLogs)
	if s.identifier == "" {
		s.identifier = deriveIdentifier(this)
	}

	this.sg = newSecurityGroup(this, s.vpc, s.port, len(*props.AppClients), s.clients)
	this.cfnSG = this.sg.Node().DefaultChild().(awsec2.CfnSecurityGroup)
	this.sgID = *this.sg.SecurityGroupId()
	this.clientSgIDs = map[string]bool{}
	for _, id := range s.clientSgIDs {
		this.clientSgIDs[id] = true
	}
	groups := newLogGroups(this, s.engine, s.identifier, this.key, s.logDays)

	var dbResource awsbackup.BackupResource
	var db constructs.Construct
	if s.engine == EngineAuroraPostgres {
		this.cluster = newCluster(this, s, this.sg, this.key)
		this.endpoint = this.cluster.ClusterEndpoint()
		this.resourceID = this.cluster.ClusterResourceIdentifier()
		this.secret = this.cluster.Secret()
		dbResource = awsbackup.BackupResource_FromRdsDatabaseCluster(this.cluster)
		db = this.cluster
		suppressAuroraMembersInBackupPlan(this.cluster)
	} else {
		this.instance = newInstance(this, s, this.sg, this.key)
		this.endpoint = this.instance.InstanceEndpoint()
		this.resourceID = this.instance.InstanceResourceId()
		this.secret = this.instance.Secret()
		dbResource = awsbackup.BackupResource_FromRdsDatabaseInstance(this.instance)
		db = this.instance
		if !s.multiAz {
			suppressNonPhiRelaxation(this.instance.Node().DefaultChild(), "HIPAA.Security-RDSMultiAZSupport", "DisableMultiAzForNonPhiEnvironment")
		}
	}
	if !s.deletionProtected {
		suppressNonPhiRelaxation(db.Node().DefaultChild(), "HIPAA.Security-RDSInstanceDeletionProtectionEnabled", "DisableDeletionProtectionForNonPhiEnvironment")
	}
	for _, g := range groups {
		// The log groups exist before RDS starts exporting to them.
		db.Node().DefaultChild().Node().AddDependency(g)
		tagPHI(g)
		this.logGroups = append(this.logGroups, g)
	}
	tagDatabase(db)
	this.cfnDB = db.Node().DefaultChild().(awscdk.CfnResource)
	base.AddTreeValidation(this, this.guard)

	this.vault, this.plan = newBackup(this, s, this.key, dbResource)
	tagPHI(this.vault)
	return this
}

// tagPHI marks a resource that stores or logs PHI.
func tagPHI(c constructs.IConstruct) {
	awscdk.Tags_Of(c).Add(jsii.String(DataClassificationTag), jsii.String(DataClassificationPHI), nil)
}

// tagDatabase tags the instance or cluster and its member instances, not
// the subnet group, monitoring role or parameter group beside them.
func tagDatabase(db constructs.Construct) {
	for _, c := range *db.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if res, ok := c.(awscdk.CfnResource); ok {
			switch *res.CfnResourceType() {
			case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster":
				tagPHI(res)
			}
		}
	}
}

var notIdentifierChars = regexp.MustCompile(`[^a-z0-9]+`)

// deriveIdentifier builds a stable DB identifier from the stack name and
// construct path: lower case, single hyphens, starting with a letter.
func deriveIdentifier(c constructs.Construct) string {
	raw := strings.ToLower(*awscdk.Names_UniqueResourceName(c, &awscdk.UniqueResourceNameOptions{
		MaxLength: jsii.Number(60), Separator: jsii.String("-"),
	}))
	id := strings.Trim(notIdentifierChars.ReplaceAllString(raw, "-"), "-")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "db-" + id
	}
	return id
}

// Database is what the RDS instance and the Aurora cluster have in common.
// Its Connections() reach the database's own security group: a rule added
// through it beyond the two doors fails synth.
type Database interface {
	awscdk.IResource
	awsec2.IConnectable
	awssecretsmanager.ISecretAttachmentTarget
}

// Database is the database resource of either engine: the RDS for
// PostgreSQL instance or the Aurora PostgreSQL cluster.
func (d *PhiDatabase) Database() Database {
	if d.cluster != nil {
		return d.cluster
	}
	return d.instance
}

// Engine is the engine the database runs.
func (d *PhiDatabase) Engine() Engine { return d.engine }

// DatabaseName is the database created with the instance or cluster.
func (d *PhiDatabase) DatabaseName() *string { return &d.name }

// Instance is the RDS for PostgreSQL instance; nil for Aurora (see Database
// for either engine).
func (d *PhiDatabase) Instance() awsrds.IDatabaseInstance {
	if d.instance == nil {
		return nil
	}
	return d.instance
}

// Cluster is the Aurora PostgreSQL cluster; nil for RDS PostgreSQL (see
// Database for either engine).
func (d *PhiDatabase) Cluster() awsrds.IDatabaseCluster {
	if d.cluster == nil {
		return nil
	}
	return d.cluster
}

// EndpointAddress is the host name clients connect to (the instance
// endpoint, or the Aurora cluster's writer endpoint).
func (d *PhiDatabase) EndpointAddress() *string { return d.endpoint.Hostname() }

// Port is the database port.
func (d *PhiDatabase) Port() *float64 { return d.endpoint.Port() }

// SecurityGroup is the database's own security group.
func (d *PhiDatabase) SecurityGroup() awsec2.ISecurityGroup { return d.sg }

// Secret is the master-user secret that RDS manages (and rotates) in Secrets
// Manager, encrypted with EncryptionKey.
func (d *PhiDatabase) Secret() awssecretsmanager.ISecret { return d.secret }

// EncryptionKey is the customer-managed key that encrypts the database,
// Performance Insights, the secret, the log groups and the backup vault.
func (d *PhiDatabase) EncryptionKey() awskms.IKey { return d.key }

// LogGroups are the encrypted log groups the database exports to.
func (d *PhiDatabase) LogGroups() []awslogs.ILogGroup { return d.logGroups }

// BackupVault is the KMS-encrypted AWS Backup vault.
func (d *PhiDatabase) BackupVault() awsbackup.IBackupVault { return d.vault }

// BackupPlan is the AWS Backup plan that selects the database.
func (d *PhiDatabase) BackupPlan() awsbackup.IBackupPlan { return d.plan }

// ConnectPolicyStatement allows rds-db:connect as dbUser on this database
// only. Put it in an awsiam.ManagedPolicy attached to the caller's role to
// keep inline policies out of the template (cdk-nag IAMNoInlinePolicy).
// An empty or wildcard dbUser panics with a *validation.Error.
func (d *PhiDatabase) ConnectPolicyStatement(dbUser *string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("rds-db:connect"),
		Resources: &[]*string{d.dbUserArn(dbUser)},
	})
}

// GrantConnect lets grantee connect as dbUser with IAM database
// authentication. CDK adds the statement to grantee's default (inline)
// policy; prefer ConnectPolicyStatement in a managed policy.
func (d *PhiDatabase) GrantConnect(grantee awsiam.IGrantable, dbUser *string) awsiam.Grant {
	if grantee == nil {
		validate.Must(fail("GrantConnect(grantee)", "a grantee is required"))
	}
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("rds-db:connect"),
		ResourceArns: &[]*string{d.dbUserArn(dbUser)},
	})
}

var dbUserRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// dbUserArn is arn:<partition>:rds-db:<region>:<account>:dbuser:<resource id>/<user>.
func (d *PhiDatabase) dbUserArn(user *string) *string {
	if user == nil {
		validate.Must(fail("dbUser", "is required: the PostgreSQL user to connect as"))
	}
	if !dbUserRe.MatchString(*user) {
		validate.Must(fail("dbUser", "%q: a PostgreSQL user name (letters, digits, underscores; not empty, no wildcard)", *user))
	}
	dbUser := *user
	return base.StackOf(d).FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("rds-db"),
		Resource:     jsii.String("dbuser"),
		ResourceName: jsii.String(*d.resourceID + "/" + dbUser),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
}
