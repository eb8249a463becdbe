// The template oracle: Go's own text/template with Prometheus's alert template data and
// functions (rewritten here for the test, after template/template.go's documented behaviour),
// expanding each case of a corpus as rules/alerting.go does. Test-only; standard library only.
//
// Input lines: VALUE<TAB>TEMPLATE (lines starting with # and empty lines skipped).
// Output lines: the expanded text or "<error expanding template: ...>", as a Go quoted string.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	textt "text/template"
	"time"
)

type sample struct {
	Labels map[string]string
	Value  float64
}
type queryResult []*sample

func toFloat(i interface{}) (float64, error) {
	switch v := i.(type) {
	case float64:
		return v, nil
	case string:
		return strconv.ParseFloat(v, 64)
	case int:
		return float64(v), nil
	case time.Duration:
		return v.Seconds(), nil
	default:
		return 0, fmt.Errorf("can't convert %T to float", v)
	}
}

func g4(v float64) string { return fmt.Sprintf("%.4g", v) }

func humanize(i interface{}) (string, error) {
	v, err := toFloat(i)
	if err != nil {
		return "", err
	}
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return g4(v), nil
	}
	prefix := ""
	if math.Abs(v) >= 1 {
		for _, p := range []string{"k", "M", "G", "T", "P", "E", "Z", "Y"} {
			if math.Abs(v) < 1000 {
				break
			}
			prefix, v = p, v/1000
		}
		return g4(v) + prefix, nil
	}
	for _, p := range []string{"m", "u", "n", "p", "f", "a", "z", "y"} {
		if math.Abs(v) >= 1 {
			break
		}
		prefix, v = p, v*1000
	}
	return g4(v) + prefix, nil
}

func humanize1024(i interface{}) (string, error) {
	v, err := toFloat(i)
	if err != nil {
		return "", err
	}
	if math.Abs(v) <= 1 || math.IsNaN(v) || math.IsInf(v, 0) {
		return g4(v), nil
	}
	prefix := ""
	for _, p := range []string{"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"} {
		if math.Abs(v) < 1024 {
			break
		}
		prefix, v = p, v/1024
	}
	return g4(v) + prefix, nil
}

func humanizeDuration(i interface{}) (string, error) {
	v, err := toFloat(i)
	if err != nil {
		return "", err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return g4(v), nil
	}
	if v == 0 {
		return g4(v) + "s", nil
	}
	if math.Abs(v) >= 1 {
		sign := ""
		if v < 0 {
			sign, v = "-", -v
		}
		n := int64(v)
		s, m, h, d := n%60, n/60%60, n/3600%24, n/86400
		switch {
		case d != 0:
			return fmt.Sprintf("%s%dd %dh %dm %ds", sign, d, h, m, s), nil
		case h != 0:
			return fmt.Sprintf("%s%dh %dm %ds", sign, h, m, s), nil
		case m != 0:
			return fmt.Sprintf("%s%dm %ds", sign, m, s), nil
		}
		return sign + g4(v) + "s", nil
	}
	s, _ := humanize(v)
	return s + "s", nil
}

func toTime(i interface{}) (*time.Time, error) {
	v, err := toFloat(i)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, errors.New("value is NaN or Inf")
	}
	t := time.UnixMilli(int64(v*1e9) / 1e6).UTC()
	return &t, nil
}

func main() {
	data := struct {
		Labels         map[string]string
		ExternalLabels map[string]string
		ExternalURL    string
		Value          interface{}
	}{
		Labels:         map[string]string{"job": "api", "instance": "host-1.example.com:9090", "severity": "critical"},
		ExternalLabels: map[string]string{"cluster": "eu"},
		ExternalURL:    "http://prom.example.com/prefix",
	}
	extURL, _ := url.Parse(data.ExternalURL)
	funcs := textt.FuncMap{
		"query": func(q string) (queryResult, error) {
			if q == "fail" {
				return nil, errors.New("query failed")
			}
			return queryResult{
				{Labels: map[string]string{"__name__": "up", "job": "b", "instance": "x:1"}, Value: 0},
				{Labels: map[string]string{"__name__": "up", "job": "a", "instance": "y:2"}, Value: 1.5},
			}, nil
		},
		"first": func(v queryResult) (*sample, error) {
			if len(v) > 0 {
				return v[0], nil
			}
			return nil, errors.New("first() called on vector with no elements")
		},
		"label":    func(l string, s *sample) string { return s.Labels[l] },
		"value":    func(s *sample) float64 { return s.Value },
		"strvalue": func(s *sample) string { return s.Labels["__value__"] },
		"args": func(args ...interface{}) map[string]interface{} {
			m := map[string]interface{}{}
			for i, a := range args {
				m[fmt.Sprintf("arg%d", i)] = a
			}
			return m
		},
		"reReplaceAll": func(p, r, t string) string { return regexp.MustCompile(p).ReplaceAllString(t, r) },
		"safeHtml":     func(t string) template.HTML { return template.HTML(t) },
		"match":        regexp.MatchString,
		"title":        strings.Title,
		"toUpper":      strings.ToUpper,
		"toLower":      strings.ToLower,
		"graphLink":    func(e string) string { return "/graph?g0.expr=" + url.QueryEscape(e) + "&g0.tab=0" },
		"tableLink":    func(e string) string { return "/graph?g0.expr=" + url.QueryEscape(e) + "&g0.tab=1" },
		"sortByLabel": func(l string, v queryResult) queryResult {
			sort.SliceStable(v, func(i, j int) bool { return v[i].Labels[l] < v[j].Labels[l] })
			return v
		},
		"stripPort": func(hp string) string {
			h, _, err := net.SplitHostPort(hp)
			if err != nil {
				return hp
			}
			return h
		},
		"stripDomain": func(hp string) string {
			h, p, err := net.SplitHostPort(hp)
			if err != nil {
				h = hp
			}
			if net.ParseIP(h) != nil {
				return hp
			}
			h = strings.Split(h, ".")[0]
			if p != "" {
				return net.JoinHostPort(h, p)
			}
			return h
		},
		"humanize":     humanize,
		"humanize1024": humanize1024,
		"humanizeDuration": humanizeDuration,
		"humanizePercentage": func(i interface{}) (string, error) {
			v, err := toFloat(i)
			if err != nil {
				return "", err
			}
			return g4(v*100) + "%", nil
		},
		"humanizeTimestamp": func(i interface{}) (string, error) {
			v, err := toFloat(i)
			if err != nil {
				return "", err
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return g4(v), nil
			}
			t, _ := toTime(v)
			return fmt.Sprint(*t), nil
		},
		"toTime": toTime,
		"toDuration": func(i interface{}) (*time.Duration, error) {
			v, err := toFloat(i)
			if err != nil {
				return nil, err
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errors.New("value is NaN or Inf")
			}
			d := time.Duration(v * 1e9)
			return &d, nil
		},
		"now":         func() float64 { return 0 },
		"pathPrefix":  func() string { return extURL.Path },
		"externalURL": func() string { return extURL.String() },
		"parseDuration": func(d string) (float64, error) {
			v, err := time.ParseDuration(d)
			if err != nil {
				return 0, err
			}
			return v.Seconds(), nil
		},
	}
	defs := "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for in.Scan() {
		line := in.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tab := strings.IndexByte(line, '\t')
		v, _ := strconv.ParseFloat(line[:tab], 64)
		data.Value = v
		text := strings.ReplaceAll(line[tab+1:], `\n`, "\n")
		fmt.Println(strconv.Quote(expand(defs+text, "__alert_A", data, funcs)))
	}
}

func expand(text, name string, data interface{}, funcs textt.FuncMap) (result string) {
	defer func() {
		if r := recover(); r != nil {
			result = fmt.Sprintf("<error expanding template: panic expanding template %v: %v>", name, r)
		}
	}()
	t, err := textt.New(name).Funcs(funcs).Option("missingkey=zero").Parse(text)
	if err != nil {
		return fmt.Sprintf("<error expanding template: error parsing template %v: %v>", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return fmt.Sprintf("<error expanding template: error executing template %v: %v>", name, err)
	}
	return b.String()
}
