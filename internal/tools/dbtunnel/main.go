// Command dbtunnel prints the exact AWS CLI commands that open a Session
// Manager port-forwarding session from an engineer's machine, through an
// environment's bastion, to its PHI database (make db-tunnel ENV=...).
//
// It reads names from the synthesized cloud assembly, not from constants: the
// stack names from manifest.json, and the outputs that carry the bastion's
// instance ID (or Auto Scaling group) and the database endpoint by what their
// values reference in the templates. The values themselves exist only after
// deployment, so the printed commands look them up with
// `aws cloudformation describe-stacks`.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LocalPort is where the database appears on the engineer's machine.
const LocalPort = 15432

type template struct {
	Resources map[string]struct {
		Type       string                 `json:"Type"`
		Properties map[string]interface{} `json:"Properties"`
	} `json:"Resources"`
	Outputs map[string]struct {
		Value interface{} `json:"Value"`
	} `json:"Outputs"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: dbtunnel CDK_OUT ENV")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "dbtunnel:", err)
		os.Exit(1)
	}
}

func run(dir, env string) error {
	access, accessStack, err := find(dir, env, "AWS::EC2::Instance", "AWS::AutoScaling::AutoScalingGroup")
	if err != nil {
		return err
	}
	data, dataStack, err := find(dir, env, "AWS::RDS::DBInstance", "AWS::RDS::DBCluster")
	if err != nil {
		return err
	}
	bastionOut, bastionType := outputReferencing(access, "", "AWS::EC2::Instance", "AWS::AutoScaling::AutoScalingGroup")
	endpointOut, _ := outputReferencing(data, "Endpoint.Address", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster")
	portOut, _ := outputReferencing(data, "Endpoint.Port", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster")
	dbName := literalOutput(data, "DatabaseName")
	if bastionOut == "" || endpointOut == "" || portOut == "" || dbName == "" {
		return fmt.Errorf("stacks %s/%s lack the bastion, endpoint or port outputs", accessStack, dataStack)
	}
	lookup := func(stack, key string) string {
		return fmt.Sprintf(`$(aws cloudformation describe-stacks --stack-name %s --query "Stacks[0].Outputs[?OutputKey=='%s'].OutputValue" --output text)`, stack, key)
	}
	fmt.Printf("# %s: open a port-forwarding session to the database through the bastion.\n", env)
	fmt.Println("# Needs the AWS CLI v2 and the Session Manager plugin, with credentials for the account.")
	target := `"$BASTION"`
	if bastionType == "AWS::AutoScaling::AutoScalingGroup" {
		fmt.Printf("ASG=%s\n", lookup(accessStack, bastionOut))
		fmt.Println(`aws autoscaling set-desired-capacity --auto-scaling-group-name "$ASG" --desired-capacity 1   # time-boxed bastion: start it`)
		fmt.Println(`BASTION=$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$ASG" --query "AutoScalingGroups[0].Instances[0].InstanceId" --output text)`)
	} else {
		fmt.Printf("BASTION=%s\n", lookup(accessStack, bastionOut))
	}
	fmt.Printf("DB_HOST=%s\n", lookup(dataStack, endpointOut))
	fmt.Printf("DB_PORT=%s\n", lookup(dataStack, portOut))
	fmt.Printf("aws ssm start-session --target %s --document-name AWS-StartPortForwardingSessionToRemoteHost \\\n", target)
	fmt.Printf("  --parameters \"host=$DB_HOST,portNumber=$DB_PORT,localPortNumber=%d\"\n", LocalPort)
	fmt.Println("# then, in another terminal (the server refuses non-TLS connections; IAM authentication is on):")
	fmt.Println(`#   PGPASSWORD=$(aws rds generate-db-auth-token --hostname "$DB_HOST" --port "$DB_PORT" --username YOUR_DB_USER)`)
	fmt.Printf("#   psql \"host=localhost port=%d user=YOUR_DB_USER dbname=%s sslmode=require\"\n", LocalPort, dbName)
	if bastionType == "AWS::AutoScaling::AutoScalingGroup" {
		fmt.Println(`aws autoscaling set-desired-capacity --auto-scaling-group-name "$ASG" --desired-capacity 0   # when done`)
	}
	return nil
}

// find returns the template of the env's stack that holds one of types.
func find(dir, env string, types ...string) (*template, string, error) {
	paths, _ := filepath.Glob(filepath.Join(dir, env+"-*.template.json"))
	sort.Strings(paths)
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, "", err
		}
		var t template
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, "", fmt.Errorf("%s: %w", p, err)
		}
		for _, r := range t.Resources {
			for _, typ := range types {
				if r.Type == typ {
					return &t, strings.TrimSuffix(filepath.Base(p), ".template.json"), nil
				}
			}
		}
	}
	return nil, "", fmt.Errorf("no %s stack in %s holds a %s: run make synth first", env, dir, strings.Join(types, " or "))
}

// outputReferencing returns the key of the output whose value references a
// resource of one of types (a Ref when attr is empty, else a GetAtt of attr),
// and that type.
func outputReferencing(t *template, attr string, types ...string) (string, string) {
	keys := make([]string, 0, len(t.Outputs))
	for k := range t.Outputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		id, gotAttr := referenced(t.Outputs[k].Value)
		if gotAttr != attr {
			continue
		}
		for _, typ := range types {
			if r, ok := t.Resources[id]; ok && r.Type == typ {
				return k, typ
			}
		}
	}
	return "", ""
}

// literalOutput returns the literal value of the output whose key ends with
// suffix, or "".
func literalOutput(t *template, suffix string) string {
	for k, o := range t.Outputs {
		if v, ok := o.Value.(string); ok && strings.HasSuffix(k, suffix) {
			return v
		}
	}
	return ""
}

// referenced returns the logical ID a Ref or GetAtt points to, and the
// GetAtt attribute ("" for a Ref).
func referenced(v interface{}) (id, attr string) {
	m, ok := v.(map[string]interface{})
	if !ok {
		return "", ""
	}
	if r, ok := m["Ref"].(string); ok {
		return r, ""
	}
	if ga, ok := m["Fn::GetAtt"].([]interface{}); ok && len(ga) == 2 {
		id, _ = ga[0].(string)
		attr, _ = ga[1].(string)
		return id, attr
	}
	return "", ""
}
