package phibucket

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

const replicationRule = "HIPAA.Security-S3BucketReplicationEnabled"

// suppressReplication suppresses S3BucketReplicationEnabled on the bucket
// only when the caller chose Object Lock instead of replication, or set the
// non-PHI opt-out. The reason says which, and names the stack.
func suppressReplication(b awss3.CfnBucket, s *settings, stack string) {
	var reason string
	switch {
	case s.lockMode != "":
		reason = "ObjectLock is chosen instead of cross-region replication (stack " + stack + "): every object version is " +
			"locked in " + string(s.lockMode) + " mode and versions are kept, so PHI cannot be deleted or overwritten " +
			"before its retention; a second-region copy is left to the recovery plan (set Replication instead)."
	case s.nonPhiOptOut:
		reason = "DisableReplicationAndObjectLockForNonPhiEnvironment is set in stack " + stack + ": its environment profile " +
			"declares it holds no PHI (synthetic data only); versions are kept in one region."
	default:
		return
	}
	cdknag.NagSuppressions_AddResourceSuppressions(b, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String(replicationRule), Reason: jsii.String(reason),
	}}, jsii.Bool(false))
}
