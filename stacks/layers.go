package stacks

// The layers of an environment. Its stacks are named <Profile.Name>-<layer>.
const (
	layerNetwork = "network"
	layerAudit   = "audit"
	layerAccess  = "access"
	layerData    = "data"
	layerApp     = "app"
	// layerIsolation holds the emergency disconnection documents.
	layerIsolation = "isolation"
)

// stackName is the name of the profile's stack of one layer.
func (p Profile) stackName(layer string) string { return p.Name + "-" + layer }
