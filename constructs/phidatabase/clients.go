package phidatabase

import "github.com/aws/aws-cdk-go/awscdk/v2/awsec2"

// PortNumber is the database port as a literal number, for security-group
// rules of a client (Port() is the endpoint's attribute, a token).
func (d *PhiDatabase) PortNumber() float64 { return d.port }

// AdmitsAppClient reports whether sg is one of the database's AppClients
// (the app-tier door; the access tier's group is not an app client).
func (d *PhiDatabase) AdmitsAppClient(sg awsec2.ISecurityGroup) bool {
	if sg == nil {
		return false
	}
	id := *sg.UniqueId()
	for _, c := range d.clients[:len(d.clients)-1] { // the last is AccessClient
		if *c.UniqueId() == id {
			return true
		}
	}
	return false
}
