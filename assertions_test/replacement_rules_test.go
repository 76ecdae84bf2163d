package assertions_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/review"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// The replacement review on real changes: dev is synthesized again from a
// copy of its profile, changed, or with one construct changed after
// composition, and compared with the app fixture's dev stacks (the goldens'
// source), as `make test` compares a change with the goldens.

const devDB = "dev-data/DatabaseInstanceAA8A5FDE (AWS::RDS::DBInstance)"

// devVariant synthesizes dev alone from a changed copy of its profile.
func devVariant(t *testing.T, profile func(p *stacks.Profile), construct func(env *stacks.Environment)) review.Templates {
	t.Helper()
	var p stacks.Profile
	for _, candidate := range stacks.Profiles {
		if candidate.Name == "dev" {
			p = candidate // a copy: stacks.Profiles is untouched
		}
	}
	if profile != nil {
		profile(&p)
	}
	app := newApp(t)
	envs := stacks.ComposeProfiles(app, []stacks.Profile{p})
	if construct != nil {
		construct(envs[0])
	}
	out := review.Templates{}
	for _, st := range *app.Synth(nil).Stacks() {
		out[*st.StackName()] = st.Template().(map[string]interface{})
	}
	return out
}

// reviewDev compares a dev variant with the app's dev stacks.
func reviewDev(t *testing.T, cur review.Templates) review.Result {
	t.Helper()
	ledger, err := review.LoadLedger(statefulFile)
	if err != nil {
		t.Fatal(err)
	}
	old := review.Templates{}
	for name, tmpl := range theApp.get(t).templates {
		if strings.HasPrefix(name, "dev-") {
			old[name] = tmpl
		}
	}
	if len(old) != len(cur) {
		t.Fatalf("stacks %d before, %d after", len(old), len(cur))
	}
	return review.Compare(old, cur, ledger)
}

// requireBlocked asserts the blocking REPLACES lines start with want.
func requireBlocked(t *testing.T, res review.Result, acks []review.Acknowledgement, want ...string) {
	t.Helper()
	var lines []string
	for _, c := range res.Blocking(acks) {
		lines = append(lines, c.String())
	}
	all := strings.Join(lines, "\n")
	for _, w := range want {
		if !strings.Contains(all, "\n"+w) && !strings.HasPrefix(all, w) {
			t.Errorf("no blocking line %q in:\n%s\nreport:\n%s", w, all, res.Report(acks))
		}
	}
	if !strings.Contains(all, "Data loss: ") {
		t.Errorf("blocking lines do not state the data loss:\n%s", all)
	}
}

// Rule 2, a construct change: a new storage key for the database.
func TestReviewBlocksChangedDatabaseKey(t *testing.T) {
	res := reviewDev(t, devVariant(t, nil, func(env *stacks.Environment) {
		key := env.Data.Database.EncryptionKey().Node().DefaultChild().(awscdk.CfnElement)
		key.OverrideLogicalId(jsii.String("DatabaseKeyRotated"))
	}))
	requireBlocked(t, res, nil,
		"REPLACES "+devDB+": KmsKeyId changes. Data loss: ",
		"REPLACES dev-data/DatabaseBackupVaultED8CBFE1 (AWS::Backup::BackupVault): EncryptionKeyArn changes",
		"REPLACES dev-data/DatabaseKey5E5D9547 (AWS::KMS::Key): its logical ID is gone")
}

// Rule 2, a renamed bucket: acknowledged, it passes.
func TestReviewBlocksRenamedBucketUnlessAcknowledged(t *testing.T) {
	res := reviewDev(t, devVariant(t, nil, func(env *stacks.Environment) {
		bucket := env.Audit.Audit.TrailBucket().Node().DefaultChild().(awscdk.CfnResource)
		bucket.AddPropertyOverride(jsii.String("BucketName"), jsii.String("dev-trail-renamed"))
	}))
	requireBlocked(t, res, nil, "REPLACES dev-audit/AuditTrailBucket1FC98696 (AWS::S3::Bucket): BucketName changes. Data loss: a new, empty bucket")
	acks := []review.Acknowledgement{{Resource: "dev-audit/AuditTrailBucket1FC98696", Property: "BucketName", Reason: "test: dev's trail is re-created on purpose"}}
	if blocking := res.Blocking(acks); len(blocking) != 0 {
		t.Errorf("acknowledged, still blocking: %v", blocking)
	}
}

// Rules 2 and 3, a profile change: another VPC CIDR replaces the VPC and its
// subnets; the data stack takes the new subnets through weak references, so
// the database would move to a new subnet group's network: blocked.
func TestReviewBlocksCidrChangeThatMovesTheDatabase(t *testing.T) {
	res := reviewDev(t, devVariant(t, func(p *stacks.Profile) { p.VpcCidr = "10.11.0.0/16" }, nil))
	requireBlocked(t, res, nil, "REPLACES "+devDB+": DBSubnetGroupName changes because it uses dev-data/DatabaseInstanceSubnetGroup")
	requireTakes(t, res, "dev-data/DatabaseInstanceSubnetGroupDE121BB6 (AWS::RDS::DBSubnetGroup) SubnetIds <- dev-network/PublishOutputRefNetworkVpcDataSubnet1Subnet")
}

// Rules 2 and 3, a construct change: the VPC under the data stack is
// replaced (a new logical ID), its CIDR unchanged.
func TestReviewBlocksReplacedVpcUnderTheDataStack(t *testing.T) {
	res := reviewDev(t, devVariant(t, nil, func(env *stacks.Environment) {
		vpc := env.Network.Network.Vpc().Node().DefaultChild().(awscdk.CfnElement)
		vpc.OverrideLogicalId(jsii.String("NetworkVpcReplaced"))
	}))
	requireBlocked(t, res, nil, "REPLACES "+devDB+": DBSubnetGroupName changes because it uses dev-data/DatabaseInstanceSubnetGroup")
	// The new VPC is published under a new output name: the data stack's
	// security group takes that name, a direct change.
	if report := res.Report(nil); !strings.Contains(report, "replaces dev-data/DatabaseSecurityGroup5C91FDCB (AWS::EC2::SecurityGroup): VpcId changes") {
		t.Errorf("the database's security group is not replaced:\n%s", report)
	}
}

func requireTakes(t *testing.T, res review.Result, want string) {
	t.Helper()
	if report := res.Report(nil); !strings.Contains(report, "TAKES "+want) {
		t.Errorf("no TAKES %q in:\n%s", want, report)
	}
}

// Harmless changes: a tag and the backup retention update in place.
func TestReviewPassesTagAndBackupRetention(t *testing.T) {
	cur := devVariant(t, func(p *stacks.Profile) { p.BackupRetentionDays = 3 }, func(env *stacks.Environment) {
		awscdk.Tags_Of(env.Data.Stack).Add(jsii.String("CostCenter"), jsii.String("clinic"), nil)
	})
	res := reviewDev(t, cur)
	if len(res.Replacements) != 0 || len(res.Takes) != 0 {
		t.Errorf("harmless change reported:\n%s", res.Report(nil))
	}
	db := cur["dev-data"]["Resources"].(map[string]interface{})["DatabaseInstanceAA8A5FDE"].(map[string]interface{})
	if got := props(db)["BackupRetentionPeriod"]; got != 3.0 {
		t.Errorf("the variant did not change: BackupRetentionPeriod %v", got)
	}
}
