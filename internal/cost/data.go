// Package cost estimates what an environment costs per month from its
// synthesized CloudFormation templates (make cost). Prices (prices.json) and
// usage assumptions (assumptions.json) are data, embedded in the binary; the
// code only counts resources and multiplies. A resource type the estimator
// cannot price is refused, never counted free, unless it is on the list of
// types that cost nothing (free.go).
package cost

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed prices.json
var pricesJSON []byte

//go:embed assumptions.json
var assumptionsJSON []byte

// Price is one list price with where and when it was read.
type Price struct {
	USD    float64 `json:"usd"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	Read   string  `json:"read"`
	Note   string  `json:"note,omitempty"`
}

// PriceBook is prices.json: one region's on-demand list prices.
type PriceBook struct {
	Region   string           `json:"region"`
	Currency string           `json:"currency"`
	Kind     string           `json:"kind"`
	Prices   map[string]Price `json:"prices"`
}

// Assumption is one usage quantity the templates cannot say, for an idle
// (low) and a typical small-startup month.
type Assumption struct {
	Low     float64 `json:"low"`
	Typical float64 `json:"typical"`
	Unit    string  `json:"unit"`
	Why     string  `json:"why"`
}

// Assumptions is assumptions.json.
type Assumptions struct {
	HoursPerMonth float64               `json:"hoursPerMonth"`
	Values        map[string]Assumption `json:"values"`
}

// Data is the price book and the assumptions an estimate uses.
type Data struct {
	Prices      PriceBook
	Assumptions Assumptions
}

// Load returns the embedded price book and assumptions.
func Load() (*Data, error) {
	var d Data
	if err := json.Unmarshal(pricesJSON, &d.Prices); err != nil {
		return nil, fmt.Errorf("prices.json: %w", err)
	}
	if err := json.Unmarshal(assumptionsJSON, &d.Assumptions); err != nil {
		return nil, fmt.Errorf("assumptions.json: %w", err)
	}
	for k, p := range d.Prices.Prices {
		if p.Source == "" || p.Read == "" || p.Unit == "" {
			return nil, fmt.Errorf("prices.json: %s needs unit, source and read date", k)
		}
	}
	if d.Assumptions.HoursPerMonth <= 0 {
		return nil, fmt.Errorf("assumptions.json: hoursPerMonth must be positive")
	}
	return &d, nil
}

// MustLoad is Load for callers whose data is the embedded, tested files.
func MustLoad() *Data {
	d, err := Load()
	if err != nil {
		panic(err)
	}
	return d
}

// Price returns the list price called key, or an error naming it.
func (d *Data) Price(key string) (Price, error) {
	p, ok := d.Prices.Prices[key]
	if !ok {
		return Price{}, fmt.Errorf("no price %q in prices.json", key)
	}
	return p, nil
}

// Assume returns the assumption called key, or an error naming it.
func (d *Data) Assume(key string) (Assumption, error) {
	a, ok := d.Assumptions.Values[key]
	if !ok {
		return Assumption{}, fmt.Errorf("no assumption %q in assumptions.json", key)
	}
	return a, nil
}
