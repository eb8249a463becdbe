// extract: reads pint's internal/checks/*_test.go and prints one JSON line per checkTest literal:
// the test function, description, content (when it is made of string literals only), and the
// fields that tell whether the case needs a Prometheus server.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
)

type tcase struct {
	File        string   `json:"file"`
	Func        string   `json:"func"`
	Line        int      `json:"line"`
	Description string   `json:"description"`
	Content     *string  `json:"content"`
	Entries     *string  `json:"entries"`
	Fields      map[string]string `json:"fields"`
}

func str(e ast.Expr) (string, bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(v.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if v.Op != token.ADD {
			return "", false
		}
		a, ok1 := str(v.X)
		b, ok2 := str(v.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return str(v.X)
	}
	return "", false
}

func main() {
	fset := token.NewFileSet()
	enc := json.NewEncoder(os.Stdout)
	for _, path := range os.Args[1:] {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				cl, ok := n.(*ast.CompositeLit)
				if !ok {
					return true
				}
				at, ok := cl.Type.(*ast.ArrayType)
				if !ok {
					return true
				}
				if id, ok := at.Elt.(*ast.Ident); !ok || id.Name != "checkTest" {
					return true
				}
				for _, el := range cl.Elts {
					c, ok := el.(*ast.CompositeLit)
					if !ok {
						continue
					}
					tc := tcase{File: filepath.Base(path), Func: fn.Name.Name, Line: fset.Position(c.Pos()).Line, Fields: map[string]string{}}
					for _, kv := range c.Elts {
						kve, ok := kv.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						key := kve.Key.(*ast.Ident).Name
						var buf bytes.Buffer
						printer.Fprint(&buf, fset, kve.Value)
						switch key {
						case "description":
							tc.Description, _ = str(kve.Value)
						case "content":
							if s, ok := str(kve.Value); ok {
								tc.Content = &s
							} else {
								tc.Fields["content_expr"] = buf.String()
							}
						case "entries":
							if call, ok := kve.Value.(*ast.CallExpr); ok && len(call.Args) == 1 {
								if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "mustParseContent" {
									if s, ok := str(call.Args[0]); ok {
										tc.Entries = &s
									}
								}
							}
							tc.Fields[key] = buf.String()[:min(len(buf.String()), 300)]
						default:
							s := buf.String()
							if len(s) > 300 {
								s = s[:300]
							}
							tc.Fields[key] = s
						}
					}
					enc.Encode(tc)
				}
				return false
			})
		}
	}
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
