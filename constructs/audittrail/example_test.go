package audittrail_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }

// The audit layer of one account and region, with the security team
// subscribed to its alarms.
func ExampleNewAuditTrail() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("audit"), nil)
	audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
		AlarmEmails: jsii.Strings("security@example.com"),
	})

	tmpl := assertions.Template_FromStack(stack, nil)
	for _, r := range *tmpl.FindResources(jsii.String("AWS::CloudTrail::Trail"), nil) {
		p := (*r)["Properties"].(map[string]interface{})
		fmt.Println("multi-region:", p["IsMultiRegionTrail"], "log file validation:", p["EnableLogFileValidation"])
	}
	count := func(typ string) int { return len(*tmpl.FindResources(jsii.String(typ), nil)) }
	fmt.Println("security alarms:", count("AWS::CloudWatch::Alarm"))
	fmt.Println("config rules:", count("AWS::Config::ConfigRule"))
	fmt.Println("guardduty detectors:", count("AWS::GuardDuty::Detector"))
	// Output:
	// multi-region: true log file validation: true
	// security alarms: 15
	// config rules: 33
	// guardduty detectors: 1
}
