package compliance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// errorMetadataType is the type of an error annotation's metadata entry in
// the cloud assembly (Annotations.AddError). The Go binding's
// cloudassemblyschema.ArtifactMetadataEntryType_ERROR is the enum member's
// name ("ERROR"), not this value, so it cannot be compared with an entry.
const errorMetadataType = "aws:cdk:error"

type metadataEntry struct {
	Type string      `json:"type"`
	Data interface{} `json:"data"`
}

// assemblyManifest is the part of a cloud assembly's manifest.json that holds
// each artifact's metadata, inline or in a file of its own.
type assemblyManifest struct {
	Artifacts map[string]struct {
		Metadata               map[string][]metadataEntry `json:"metadata"`
		AdditionalMetadataFile string                     `json:"additionalMetadataFile"`
	} `json:"artifacts"`
}

// artifactMetadata reads one artifact's metadata entries, by construct path,
// from the assembly directory, as the CDK CLI does. aws-cdk-lib's accessors
// cannot serve here: Messages() returns the deprecated SynthesisMessage, and
// CloudFormationStackArtifact.Metadata() fails in jsii on any stack with an
// L2 construct given props: the construct-analytics entry's data is an
// object, which jsii tries to pass as the schema's file-asset entry ("Of
// property Object.artifactHashParameter: Unable to serialize value as string").
func artifactMetadata(dir, artifactID string) (map[string][]metadataEntry, error) {
	var m assemblyManifest
	if err := readJSON(filepath.Join(dir, "manifest.json"), &m); err != nil {
		return nil, err
	}
	art, ok := m.Artifacts[artifactID]
	if !ok {
		return nil, fmt.Errorf("artifact %s is not in %s/manifest.json", artifactID, dir)
	}
	out := map[string][]metadataEntry{}
	for p, entries := range art.Metadata {
		out[p] = append(out[p], entries...)
	}
	if art.AdditionalMetadataFile != "" {
		var more map[string][]metadataEntry
		if err := readJSON(filepath.Join(dir, art.AdditionalMetadataFile), &more); err != nil {
			return nil, err
		}
		for p, entries := range more {
			out[p] = append(out[p], entries...)
		}
	}
	return out, nil
}

func readJSON(path string, v interface{}) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// MetadataOfType returns the data of every metadata entry of one type
// ("aws:cdk:warning", "aws:cdk:error", ...) of a stack artifact, read from
// the assembly directory (see artifactMetadata for why not through jsii).
func MetadataOfType(dir, artifactID, typ string) ([]string, error) {
	md, err := artifactMetadata(dir, artifactID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, entries := range md {
		for _, e := range entries {
			if e.Type == typ {
				out = append(out, fmt.Sprint(e.Data))
			}
		}
	}
	return out, nil
}
