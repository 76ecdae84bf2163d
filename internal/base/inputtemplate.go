package base

import (
	"bytes"
	"encoding/json"
)

// InputTemplateText encodes s as a JSON string for an EventBridge input
// template, keeping its <placeholders> literal (no HTML escaping of < and >).
func InputTemplateText(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return string(bytes.TrimSpace(buf.Bytes()))
}
