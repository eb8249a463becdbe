// The yaml.v2 half of the oracle (yaml_oracle -v2 FILE...): Go's gopkg.in/yaml.v2, the library
// Prometheus reads prometheus.yml with (and Alertmanager alertmanager.yml), strict.
//
// One line per file: "error: ..." if yaml.v2 refuses it, else the first document as yaml.v2
// decodes it into interface{}, with its types: null, true/false, integers in decimal, floats in
// shortest 'e' form (.inf, -.inf, .nan), strings quoted (timestamps stay strings, !!binary is
// decoded), sequences [...], maps {"key":value,...} sorted. Keys are decoded as Prometheus's
// structs and maps decode them, into strings: a key's text (`yes:` is "yes", not true).
// Merge keys are resolved as yaml.v2 resolves them: in the order written, later entries
// overwriting earlier ones, and in `<<: [*a, *b]` the earlier map winning.
//
// Refused: what yaml.v2.Unmarshal refuses, and a key written twice in one map — what
// UnmarshalStrict refuses in every struct and map Prometheus decodes. UnmarshalStrict into
// interface{} would also refuse an explicit key that overrides a merged one; Prometheus decodes
// into structs, where that override is allowed, so the oracle allows it (see known_differences_v2.tsv).
package main

import (
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	yamlv2 "gopkg.in/yaml.v2"
	"gopkg.in/yaml.v3"
)

// value: any node, decoded as yaml.v2 decodes it into interface{}, except that maps have string
// keys (map[string]value: the key's text, as a struct field name or a label name is read).
type value struct{ v interface{} }

func (x *value) UnmarshalYAML(unmarshal func(interface{}) error) error {
	if err := unmarshal(&x.v); err != nil {
		return err
	}
	switch x.v.(type) {
	case map[interface{}]interface{}:
		var m map[string]value
		x.v = &m
		return unmarshal(&m)
	case []interface{}:
		var s []value
		x.v = &s
		return unmarshal(&s)
	}
	return nil
}

func dumpV2(v interface{}) string {
	switch x := v.(type) {
	case value:
		return dumpV2(x.v)
	case *map[string]value:
		return dumpV2(*x)
	case *[]value:
		return dumpV2(*x)
	case map[string]value:
		parts := make([]string, 0, len(x))
		for k, e := range x {
			parts = append(parts, quote(k)+":"+dumpV2(e))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case []value:
		items := make([]string, len(x))
		for i, c := range x {
			items[i] = dumpV2(c)
		}
		return "[" + strings.Join(items, ",") + "]"
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		switch {
		case math.IsNaN(x):
			return ".nan"
		case math.IsInf(x, 1):
			return ".inf"
		case math.IsInf(x, -1):
			return "-.inf"
		}
		return strconv.FormatFloat(x, 'e', -1, 64)
	case string:
		return quote(x)
	}
	return "<unknown type>"
}

// explicitDuplicate finds a key written twice in one map of the document (merged keys aside),
// comparing keys by their text as a struct's field names are compared. yaml.v2 has no node API:
// yaml.v3's node tree gives the keys as written.
func explicitDuplicate(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode || isMerge(k) {
				continue
			}
			name := k.Value
			if k.ShortTag() == "!!null" {
				name = "\x00null"
			}
			if seen[name] {
				return "line " + strconv.Itoa(n.Content[i].Line) + ": key " + strconv.Quote(k.Value) + " already set"
			}
			seen[name] = true
		}
	}
	for _, c := range n.Content {
		if d := explicitDuplicate(c); d != "" {
			return d
		}
	}
	return ""
}

func readV2(path string) (result string) {
	defer func() {
		if r := recover(); r != nil {
			result = "error: panic: " + strings.ReplaceAll(toString(r), "\n", " ")

		}
	}()
	data, err := os.ReadFile(path)
	if err != nil {
		return "error: " + err.Error()
	}
	return parseV2(data)
}

func parseV2(data []byte) (result string) {
	defer func() {
		if r := recover(); r != nil {
			result = "error: panic: " + strings.ReplaceAll(toString(r), "\n", " ")
		}
	}()
	var v value
	if err := yamlv2.Unmarshal(data, &v); err != nil {
		return "error: " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	var n yaml.Node
	if yaml.Unmarshal(data, &n) == nil {
		if d := explicitDuplicate(&n); d != "" {
			return "error: " + d
		}
	} else if err := yamlv2.UnmarshalStrict(data, new(interface{})); err != nil && !strings.Contains(string(data), "<<") {
		// yaml.v3 cannot give the keys: yaml.v2's strict decoding decides where no merge key
		// could make it refuse more than Prometheus does.
		return "error: " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	return dumpV2(v)
}

func toString(r interface{}) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	if s, ok := r.(string); ok {
		return s
	}
	return "unknown panic"
}
