package phidatabase

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsrds"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// suppressAuroraMembersInBackupPlan suppresses HIPAA.Security-RDSInBackupPlan
// on the writer and reader of an Aurora cluster only. The rule inspects every
// AWS::RDS::DBInstance, including Aurora cluster members (cdk-nag issue
// #1627), but AWS Backup protects Aurora at the cluster level: the cluster is
// in the backup selection, and CDK's own backup collector deliberately skips
// cluster members. Selecting the members as well would add backup jobs for
// resources AWS Backup does not back up individually.
func suppressAuroraMembersInBackupPlan(cluster awsrds.DatabaseCluster) {
	for _, c := range *cluster.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		res, ok := c.(awscdk.CfnResource)
		if !ok || *res.CfnResourceType() != "AWS::RDS::DBInstance" {
			continue
		}
		cdknag.NagSuppressions_AddResourceSuppressions(res, &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("HIPAA.Security-RDSInBackupPlan"),
			Reason: jsii.String("Aurora cluster member: AWS Backup backs up Aurora per cluster, and the cluster is in this " +
				"PhiDatabase's backup selection. cdk-nag checks every DB instance (cdklabs/cdk-nag#1627)."),
		}}, jsii.Bool(false))
	}
}

// suppressNonPhiRelaxation suppresses rule on the database resource (the
// instance or the cluster) only when the caller set the matching
// Disable*ForNonPhiEnvironment prop. The reason names the stack, and so the
// environment, whose owner declared it holds no PHI.
func suppressNonPhiRelaxation(db constructs.IConstruct, rule, prop string) {
	stack := *base.StackOf(db).StackName()
	cdknag.NagSuppressions_AddResourceSuppressions(db, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String(rule),
		Reason: jsii.String(prop + " is set in stack " + stack + ": its environment profile declares it holds no PHI " +
			"(synthetic data only), so this HIPAA control is relaxed there for cost."),
	}}, jsii.Bool(false))
}
