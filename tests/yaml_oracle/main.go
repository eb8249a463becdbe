// yaml_oracle: the test-only reference for nsmon's YAML parser. It reads each file named on the
// command line with Go's gopkg.in/yaml.v3 — the library Prometheus reads rule files with — and
// prints one line per file: the path, a tab, then either "error: ..." (yaml.v3's Unmarshal into
// interface{} refuses the first document: syntax, duplicate keys, bad merges, invalid keys...) or
// the first document as canonical JSON (see dump).
//
// Built offline from Debian's packages (golang-go, golang-gopkg-yaml.v3-dev) with
// GOPATH=/usr/share/gocode GO111MODULE=off; see tests/yaml_oracle/CMakeLists.txt.
package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// quote writes s as a JSON string: '"', '\\' and bytes below 0x20 escaped, every other byte as is
// (the C++ side, tests/yaml_oracle/dump.cpp, escapes exactly the same way).
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, "\\u%04x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

type entry struct{ key, value string }

// isMerge is yaml.v3's own test (decode.go).
func isMerge(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "<<" && (n.Tag == "" || n.Tag == "!" || n.ShortTag() == "!!merge")
}

// mapping adds the entries of n to out the way yaml.v3's decoder.mapping and decoder.merge do:
// explicit keys first; then the last "<<" value's maps, each key only if no earlier key (explicit
// or merged) has it. merged is nil for a map that is not being merged into another.
func mapping(n *yaml.Node, out *[]entry, merged map[string]bool) {
	var mergeNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMerge(n.Content[i]) {
			mergeNode = n.Content[i+1]
			continue
		}
		k := key(n.Content[i])
		if merged != nil {
			if merged[k] {
				continue
			}
			merged[k] = true
		}
		replaced := false
		for j := range *out {
			if (*out)[j].key == k {
				(*out)[j].value = dump(n.Content[i+1])
				replaced = true
			}
		}
		if !replaced {
			*out = append(*out, entry{k, dump(n.Content[i+1])})
		}
	}
	if mergeNode == nil {
		return
	}
	if merged == nil {
		merged = map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			merged[key(n.Content[i])] = true
		}
	}
	target := func(m *yaml.Node) *yaml.Node {
		if m.Kind == yaml.AliasNode {
			return m.Alias
		}
		return m
	}
	if m := target(mergeNode); m.Kind == yaml.MappingNode {
		mapping(m, out, merged)
		return
	}
	for _, item := range mergeNode.Content {
		mapping(target(item), out, merged)
	}
}

// text: a scalar's value as a decoder hands it over: a !!binary scalar's bytes (Unmarshal into
// interface{} decodes them; the invalid ones were refused there already), else its text.
func text(n *yaml.Node) string {
	if n.ShortTag() == "!!binary" {
		if b, err := base64.StdEncoding.DecodeString(n.Value); err == nil {
			return string(b)
		}
	}
	return n.Value
}

// key: how a map key is named in the dump: a scalar's text, "<...>" around the dump of anything
// else (null included).
func key(n *yaml.Node) string {
	if n.Kind == yaml.AliasNode {
		return key(n.Alias)
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		return text(n)
	}
	return "<" + dump(n) + ">"
}

// dump: null for null nodes, a JSON string for every other scalar (its text, whatever its type:
// nsmon's tree keeps scalars as text), arrays for sequences, and for maps a JSON object whose keys
// are the dumps of the YAML keys, sorted, merge keys resolved.
func dump(n *yaml.Node) string {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return "null"
		}
		return dump(n.Content[0])
	case yaml.AliasNode:
		return dump(n.Alias)
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return quote(text(n))
	case yaml.SequenceNode:
		items := make([]string, len(n.Content))
		for i, c := range n.Content {
			items[i] = dump(c)
		}
		return "[" + strings.Join(items, ",") + "]"
	case yaml.MappingNode:
		var entries []entry
		mapping(n, &entries, nil)
		sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
		parts := make([]string, len(entries))
		for i, e := range entries {
			parts[i] = quote(e.key) + ":" + e.value
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return "null"
}

func read(path string) (result string) {
	defer func() {
		if r := recover(); r != nil {
			result = fmt.Sprintf("error: panic: %v", r)
		}
	}()
	data, err := os.ReadFile(path)
	if err != nil {
		return "error: " + err.Error()
	}
	return parse(data)
}

func parse(data []byte) (result string) {
	defer func() {
		if r := recover(); r != nil {
			result = fmt.Sprintf("error: panic: %v", r)
		}
	}()
	// Unmarshal into interface{} decides: it applies the duplicate-key and merge rules.
	var v interface{}
	if err := yaml.Unmarshal(data, &v); err != nil {
		return "error: " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return "error: " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	if n.Kind == 0 {
		return "null"
	}
	return dump(&n)
}

// serve: for the differential fuzz target (fuzz/fuzz_yaml.cpp), requests on stdin, each a line
// "v3 LENGTH" or "v2 LENGTH" then LENGTH bytes of YAML; one answer line each, as for a file.
func serve(w *bufio.Writer) {
	in := bufio.NewReader(os.Stdin)
	for {
		var mode string
		var n int
		if _, err := fmt.Fscanf(in, "%s %d\n", &mode, &n); err != nil {
			return
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(in, data); err != nil {
			return
		}
		answer := parse(data)
		if mode == "v2" {
			answer = parseV2(data)
		}
		fmt.Fprintf(w, "%s\n", answer)
		w.Flush()
	}
}

// main: yaml_oracle [-v2] FILE... | -serve: yaml.v3 as rule files are read, or (-v2) yaml.v2 as
// prometheus.yml and alertmanager.yml are read (see v2.go).
func main() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	args, readFile := os.Args[1:], read
	if len(args) > 0 && args[0] == "-serve" {
		serve(w)
		return
	}
	if len(args) > 0 && args[0] == "-v2" {
		args, readFile = args[1:], readV2
	}
	for _, path := range args {
		fmt.Fprintf(w, "%s\t%s\n", path, readFile(path))
	}
}
