package review

// StatefulTypes hold data that a replacement loses, with what is lost. A
// resource is stateful when its type is here or it is in the stateful ledger
// (assertions_test/testdata/stateful-resources.json), so a new store of one
// of these types is covered before `make golden` records it.
var StatefulTypes = map[string]string{
	"AWS::RDS::DBInstance": "CloudFormation creates a new, empty database and deletes this one (DeletionPolicy Snapshot leaves only a final snapshot, to restore by hand): " +
		"writes after the snapshot, the endpoint and the automated backups are lost",
	"AWS::RDS::DBCluster": "CloudFormation creates a new, empty cluster and deletes this one (a final cluster snapshot is left, to restore by hand): " +
		"writes after the snapshot, the endpoints and the automated backups are lost",
	"AWS::KMS::Key":                      "a new key replaces it: what is encrypted under the old key (database, logs, buckets, recovery points) stays readable only while the retained old key is kept enabled",
	"AWS::S3::Bucket":                    "a new, empty bucket replaces it: the objects (and their Object Lock records) stay in the retained old bucket, which the stack no longer manages",
	"AWS::Logs::LogGroup":                "a new, empty log group replaces it: the retained old one keeps the events, outside the stack, with nothing writing to it",
	"AWS::Backup::BackupVault":           "a new, empty vault replaces it: the recovery points stay in the retained old vault, outside the stack and its backup plan",
	"AWS::ECR::Repository":               "a new, empty repository replaces it: the images stay in the retained old one",
	"AWS::SecretsManager::Secret":        "a new secret replaces it: the old value is gone for everything that reads the secret",
	"AWS::DynamoDB::Table":               "a new, empty table replaces it: the items stay only in the retained old table",
	"AWS::DynamoDB::GlobalTable":         "a new, empty table replaces it: the items stay only in the retained old table",
	"AWS::EFS::FileSystem":               "a new, empty file system replaces it: the files stay only in the retained old one",
	"AWS::ElastiCache::ReplicationGroup": "a new, empty cache replaces it",
	"AWS::SQS::Queue":                    "a new, empty queue replaces it: messages in flight are lost",
}

// consequence says what replacing a resource of typ loses.
func consequence(typ string) string {
	if c, ok := StatefulTypes[typ]; ok {
		return c
	}
	return "a new, empty resource replaces it: its data stays only in the retained old one"
}
