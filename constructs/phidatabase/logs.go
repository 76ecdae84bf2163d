package phidatabase

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// logExports are the log types each engine exports to CloudWatch Logs: every
// type cdk-nag's RDSLoggingEnabled asks for. The postgresql log carries the
// pgaudit, connection and disconnection records.
func logExports(engine Engine) []string {
	if engine == EngineAuroraPostgres {
		return []string{"postgresql"}
	}
	return []string{"postgresql", "upgrade"}
}

// newLogGroups creates the log groups RDS exports to, before the database
// exists, so that they are encrypted with key and have a retention from the
// first line. RDS would otherwise create them itself, unencrypted and kept
// forever; CDK's cloudwatchLogsRetention would instead add a Lambda-backed
// custom resource. The names follow RDS's convention for identifier.
func newLogGroups(scope constructs.Construct, engine Engine, identifier string, key awskms.IKey, days float64) []awslogs.LogGroup {
	kind := "instance"
	if engine == EngineAuroraPostgres {
		kind = "cluster"
	}
	var groups []awslogs.LogGroup
	for _, typ := range logExports(engine) {
		name := fmt.Sprintf("/aws/rds/%s/%s/%s", kind, identifier, typ)
		group := retention.NewEncryptedLogGroup(scope, logGroupID(typ), jsii.String(name), key, days)
		groups = append(groups, group)
	}
	return groups
}

// logGroupID is the construct ID of a log type's group ("postgresql" ->
// "PostgresqlLogGroup"); it names the logical ID and must not change.
func logGroupID(typ string) string {
	return string(typ[0]-'a'+'A') + typ[1:] + "LogGroup"
}
