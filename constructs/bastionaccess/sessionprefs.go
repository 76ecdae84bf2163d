package bastionaccess

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// newSessionPreferences writes the Session Manager preferences document.
// Session Manager reads SSM-SessionManagerRunShell for every shell session in
// the account and region, so this applies to every session, not only the
// bastion's: input and output stream to the encrypted log group (and the
// bucket), the session channel is encrypted with the key, idle sessions end,
// and sessions never run as another OS user.
func newSessionPreferences(scope constructs.Construct, s *settings, group awslogs.ILogGroup, key awskms.IKey, bucket awss3.IBucket) awsssm.CfnDocument {
	inputs := map[string]interface{}{
		"cloudWatchLogGroupName":      group.LogGroupName(),
		"cloudWatchEncryptionEnabled": true,
		"cloudWatchStreamingEnabled":  true,
		"kmsKeyId":                    key.KeyId(),
		"idleSessionTimeout":          fmt.Sprint(s.idleMinutes),
		"runAsEnabled":                false,
		"s3BucketName":                "",
		"s3EncryptionEnabled":         true,
	}
	if bucket != nil {
		inputs["s3BucketName"] = bucket.BucketName()
	}
	return awsssm.NewCfnDocument(scope, jsii.String("SessionPreferences"), &awsssm.CfnDocumentProps{
		Name:           jsii.String(SessionDocumentName),
		DocumentType:   jsii.String("Session"),
		DocumentFormat: jsii.String("JSON"),
		// A new version on update: the name is fixed, so replacing the
		// document would collide with itself.
		UpdateMethod: jsii.String("NewVersion"),
		Content: map[string]interface{}{
			"schemaVersion": "1.0",
			"description":   "Session Manager preferences set by BastionAccess: logged, KMS-encrypted, idle timeout",
			"sessionType":   "Standard_Stream",
			"inputs":        inputs,
		},
	})
}
