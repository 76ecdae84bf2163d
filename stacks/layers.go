package stacks

// The layers of an environment. Its stacks are named <Profile.Name>-<layer>,
// so Profile.Validate bounds Name by the longest layer name.
const (
	layerNetwork = "network"
	layerAudit   = "audit"
	layerAccess  = "access"
	layerData    = "data"
)

// layers lists every layer, in the order NewEnvironment creates them.
var layers = []string{layerNetwork, layerAudit, layerAccess, layerData}

// stackName is the name of the profile's stack of one layer.
func (p Profile) stackName(layer string) string { return p.Name + "-" + layer }
