package assertions_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
)

// compliance.Findings reports error annotations, and only those, from the
// assembly's metadata. aws-cdk-lib throws from Synth when an error annotation
// exists, after writing the assembly, so the test reads that assembly back.
// Each stack has an L2 construct given props, whose construct-analytics
// metadata entry jsii cannot pass through CloudFormationStackArtifact.Metadata().
func TestFindingsReadErrorAnnotations(t *testing.T) {
	app := newApp(t)
	for _, id := range []string{"Broken", "Warned"} {
		stack := awscdk.NewStack(app, jsii.String(id), nil)
		r := awssns.NewTopic(stack, jsii.String("Topic"), &awssns.TopicProps{DisplayName: jsii.String("alarms")})
		awscdk.Annotations_Of(r).AddWarning(jsii.String("only a warning"))
		if id == "Broken" {
			awscdk.Annotations_Of(r).AddError(jsii.String("HIPAA.Security-X: broken\nsecond line"))
		}
	}
	func() {
		defer func() { _ = recover() }()
		app.Synth(nil)
	}()
	got := compliance.Findings(cxapi.NewCloudAssembly(app.Outdir(), nil))
	want := []string{"Broken: /Broken/Topic: HIPAA.Security-X: broken"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}
