// minihelm: a test-only Helm 3 template renderer for CI machines without a helm binary (design/toolchain.md §6).
//
// It renders a chart directory with Go's text/template and sprig, the way `helm template` does for the features
// our charts use: values.yaml + -f files + -set overrides (coalesced like Helm, null deletes a key), subcharts
// declared in Chart.yaml `dependencies` with `file://` repositories (condition, alias, global values), library
// charts, include/tpl/required/fail/toYaml/fromYaml, .Files.Get/.Files.Glob, .Chart, .Release, .Capabilities and
// .Template. Every rendered document is parsed as YAML and must carry apiVersion and kind.
//
// Output: the manifests as a YAML stream on stdout (each preceded by `# Source: <template path>`); with
// -values-out FILE, the final values of every rendered chart as JSON {"<chart path>": {schema, values}} so the
// caller can validate them against each chart's values.schema.json like `helm install` does.
//
// It is not a replacement for helm: real installs use helm 3. Exit status 1 on any template, value or YAML error.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type chartMeta struct {
	Name         string       `json:"name"`
	Version      string       `json:"version"`
	AppVersion   string       `json:"appVersion"`
	Type         string       `json:"type"`
	Description  string       `json:"description"`
	Dependencies []dependency `json:"dependencies"`
}

type dependency struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository"`
	Condition  string `json:"condition"`
	Alias      string `json:"alias"`
}

type chart struct {
	dir       string
	meta      chartMeta
	path      string // template path prefix, e.g. ots/charts/mailbox
	values    map[string]interface{}
	enabled   bool
	subcharts []*chart
	templates map[string]string // full template name -> source
	hasSchema bool
	schema    interface{}
}

// Files gives templates read access to the chart's own files, like Helm's .Files.
type Files struct{ dir string }

func (f Files) Get(name string) string {
	data, err := os.ReadFile(filepath.Join(f.dir, filepath.FromSlash(name)))
	if err != nil {
		return ""
	}
	return string(data)
}

// Glob returns a map of relative path -> content for the files matching pattern (sorted keys in range).
func (f Files) Glob(pattern string) map[string]string {
	out := map[string]string{}
	matches, _ := filepath.Glob(filepath.Join(f.dir, filepath.FromSlash(pattern)))
	for _, m := range matches {
		rel, _ := filepath.Rel(f.dir, m)
		data, err := os.ReadFile(m)
		if err == nil {
			out[filepath.ToSlash(rel)] = string(data)
		}
	}
	return out
}

type apiVersions []string

func (a apiVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

func readYAMLMap(file string) (map[string]interface{}, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if out == nil {
		out = map[string]interface{}{}
	}
	return out, nil
}

// coalesce merges src over dst (dst = defaults); a nil value in src deletes the key, like Helm.
func coalesce(dst, src map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range src {
		if v == nil {
			delete(out, k)
			continue
		}
		sm, sok := v.(map[string]interface{})
		dm, dok := out[k].(map[string]interface{})
		if sok && dok {
			out[k] = coalesce(dm, sm)
		} else {
			out[k] = v
		}
	}
	return out
}

func loadChart(dir, parentPath string) (*chart, error) {
	meta := chartMeta{}
	data, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	if err := yaml.UnmarshalStrict(data, &meta); err != nil {
		// Chart.yaml has more fields than we model: fall back to the lenient parse
		if err2 := yaml.Unmarshal(data, &meta); err2 != nil {
			return nil, fmt.Errorf("%s/Chart.yaml: %w", dir, err2)
		}
	}
	if meta.Name == "" || meta.Version == "" {
		return nil, fmt.Errorf("%s/Chart.yaml: name and version are required", dir)
	}
	c := &chart{dir: dir, meta: meta, templates: map[string]string{}, enabled: true}
	if parentPath == "" {
		c.path = meta.Name
	} else {
		c.path = parentPath + "/charts/" + meta.Name
	}
	c.values = map[string]interface{}{}
	if _, err := os.Stat(filepath.Join(dir, "values.yaml")); err == nil {
		if c.values, err = readYAMLMap(filepath.Join(dir, "values.yaml")); err != nil {
			return nil, err
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "values.schema.json")); err == nil {
		c.hasSchema = true
		if err := json.Unmarshal(data, &c.schema); err != nil {
			return nil, fmt.Errorf("%s/values.schema.json: %w", dir, err)
		}
	}
	tdir := filepath.Join(dir, "templates")
	err = filepath.Walk(tdir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if info.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		c.templates[c.path+"/"+filepath.ToSlash(rel)] = string(src)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, dep := range meta.Dependencies {
		if !strings.HasPrefix(dep.Repository, "file://") {
			return nil, fmt.Errorf("%s: dependency %s: only file:// repositories are supported", dir, dep.Name)
		}
		sub, err := loadChart(filepath.Join(dir, strings.TrimPrefix(dep.Repository, "file://")), c.path)
		if err != nil {
			return nil, err
		}
		if sub.meta.Name != dep.Name {
			return nil, fmt.Errorf("%s: dependency %s points at chart %s", dir, dep.Name, sub.meta.Name)
		}
		if dep.Alias != "" {
			sub.meta.Name = dep.Alias
			sub.path = c.path + "/charts/" + dep.Alias
			renamed := map[string]string{}
			for k, v := range sub.templates {
				renamed[strings.Replace(k, c.path+"/charts/"+dep.Name+"/", sub.path+"/", 1)] = v
			}
			sub.templates = renamed
		}
		c.subcharts = append(c.subcharts, sub)
	}
	return c, nil
}

func lookupPath(values map[string]interface{}, dotted string) (interface{}, bool) {
	var cur interface{} = values
	for _, part := range strings.Split(dotted, ".") {
		m, ok := cur.(map[string]interface{})
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// resolveValues computes each chart's final values top-down (parent's `<name>` key over the subchart's defaults,
// globals passed down) and evaluates dependency conditions.
func resolveValues(c *chart, supplied map[string]interface{}) {
	c.values = coalesce(c.values, supplied)
	globals, _ := c.values["global"].(map[string]interface{})
	for i, sub := range c.subcharts {
		dep := c.meta.Dependencies[i]
		if dep.Condition != "" {
			for _, cond := range strings.Split(dep.Condition, ",") {
				if v, ok := lookupPath(c.values, strings.TrimSpace(cond)); ok {
					if b, isBool := v.(bool); isBool {
						sub.enabled = b
						break
					}
				}
			}
		}
		fromParent, _ := c.values[sub.meta.Name].(map[string]interface{})
		if fromParent == nil {
			fromParent = map[string]interface{}{}
		}
		subGlobals, _ := sub.values["global"].(map[string]interface{})
		merged := coalesce(fromParent, map[string]interface{}{})
		merged["global"] = coalesce(coalesce(subGlobals, nil), globals)
		resolveValues(sub, merged)
		// the parent sees the subchart's final values under its name, like Helm
		c.values[sub.meta.Name] = sub.values
	}
}

func allCharts(c *chart, out []*chart) []*chart {
	out = append(out, c)
	for _, s := range c.subcharts {
		if s.enabled || s.meta.Type == "library" {
			out = allCharts(s, out)
		}
	}
	return out
}

func parseSet(values map[string]interface{}, expr string) error {
	eq := strings.Index(expr, "=")
	if eq < 1 {
		return fmt.Errorf("-set %q: want key=value", expr)
	}
	keys := strings.Split(expr[:eq], ".")
	raw := expr[eq+1:]
	var v interface{} = raw
	if raw == "null" {
		v = nil
	} else if raw == "true" || raw == "false" {
		v = raw == "true"
	} else if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
		v = n
	}
	cur := values
	for _, k := range keys[:len(keys)-1] {
		next, ok := cur[k].(map[string]interface{})
		if !ok {
			next = map[string]interface{}{}
			cur[k] = next
		}
		cur = next
	}
	cur[keys[len(keys)-1]] = v
	return nil
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(s string) []interface{} {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(s), &a); err != nil {
		return []interface{}{err.Error()}
	}
	return a
}

func main() {
	var valueFiles, sets stringList
	releaseName := flag.String("release-name", "release-name", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.30.0", "Capabilities.KubeVersion")
	valuesOut := flag.String("values-out", "", "write every chart's final values and schema as JSON to this file")
	flag.Var(&valueFiles, "f", "values file (repeatable)")
	flag.Var(&sets, "set", "key=value override (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: minihelm [-f values.yaml]... [-set k=v]... CHART_DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), valueFiles, sets, *releaseName, *namespace, *kubeVersion, *valuesOut); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func run(dir string, valueFiles, sets []string, releaseName, namespace, kubeVersion, valuesOut string) error {
	root, err := loadChart(dir, "")
	if err != nil {
		return err
	}
	supplied := map[string]interface{}{}
	for _, f := range valueFiles {
		m, err := readYAMLMap(f)
		if err != nil {
			return err
		}
		supplied = coalesce(supplied, m)
	}
	for _, s := range sets {
		if err := parseSet(supplied, s); err != nil {
			return err
		}
	}
	if _, ok := root.values["global"]; !ok {
		root.values["global"] = map[string]interface{}{}
	}
	resolveValues(root, supplied)
	charts := allCharts(root, nil)

	if valuesOut != "" {
		dump := map[string]interface{}{}
		for _, c := range charts {
			if c.meta.Type == "library" {
				continue
			}
			dump[c.path] = map[string]interface{}{"schema": c.schema, "values": c.values, "hasSchema": c.hasSchema}
		}
		data, err := json.MarshalIndent(dump, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(valuesOut, data, 0o644); err != nil {
			return err
		}
	}

	tpl := template.New("root")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	includeDepth := 0
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = fromYAML
	funcs["fromYamlArray"] = fromYAMLArray
	funcs["toJson"] = func(v interface{}) string { data, _ := json.Marshal(v); return string(data) }
	funcs["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	funcs["fail"] = func(msg string) (string, error) { return "", errors.New(msg) }
	funcs["lookup"] = func(string, string, string, string) map[string]interface{} { return map[string]interface{}{} }
	funcs["include"] = func(name string, data interface{}) (string, error) {
		includeDepth++
		defer func() { includeDepth-- }()
		if includeDepth > 100 {
			return "", fmt.Errorf("include %s: recursion too deep", name)
		}
		var buf bytes.Buffer
		if err := tpl.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := tpl.Clone()
		if err != nil {
			return "", err
		}
		t, err := clone.New("tpl").Option("missingkey=zero").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	tpl.Funcs(funcs).Option("missingkey=zero")

	// parse every template of every chart into one namespace (named templates are shared, like Helm)
	type renderable struct {
		name string
		c    *chart
	}
	var toRender []renderable
	for _, c := range charts {
		names := make([]string, 0, len(c.templates))
		for n := range c.templates {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if _, err := tpl.New(n).Parse(c.templates[n]); err != nil {
				return err
			}
			base := path.Base(n)
			// like Helm: every file of templates/ is rendered except partials (_*) and NOTES.txt
			if c.meta.Type != "library" && c.enabled && !strings.HasPrefix(base, "_") && base != "NOTES.txt" {
				toRender = append(toRender, renderable{n, c})
			}
		}
	}

	var out bytes.Buffer
	for _, r := range toRender {
		c := r.c
		data := map[string]interface{}{
			"Values": c.values,
			"Chart": map[string]interface{}{
				"Name": c.meta.Name, "Version": c.meta.Version, "AppVersion": c.meta.AppVersion,
				"Type": c.meta.Type, "Description": c.meta.Description,
			},
			"Release": map[string]interface{}{
				"Name": releaseName, "Namespace": namespace, "Service": "Helm",
				"IsInstall": true, "IsUpgrade": false, "Revision": 1,
			},
			"Capabilities": map[string]interface{}{
				"KubeVersion": map[string]interface{}{"Version": kubeVersion, "GitVersion": kubeVersion,
					"Major": "1", "Minor": strings.Split(strings.TrimPrefix(kubeVersion, "v"), ".")[1]},
				"APIVersions": apiVersions{"v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v2",
					"networking.k8s.io/v1", "monitoring.coreos.com/v1", "postgresql.cnpg.io/v1"},
			},
			"Template": map[string]interface{}{"Name": r.name, "BasePath": c.path + "/templates"},
			"Files":    Files{dir: c.dir},
		}
		var buf bytes.Buffer
		if err := tpl.ExecuteTemplate(&buf, r.name, data); err != nil {
			return err
		}
		for i, doc := range splitDocuments(buf.String()) {
			var obj map[string]interface{}
			if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
				return fmt.Errorf("%s (document %d): invalid YAML: %w\n%s", r.name, i, err, doc)
			}
			if obj == nil {
				continue
			}
			if obj["apiVersion"] == nil || obj["kind"] == nil {
				return fmt.Errorf("%s (document %d): apiVersion and kind are required", r.name, i)
			}
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", r.name, strings.TrimRight(doc, "\n "))
		}
	}
	_, err = os.Stdout.Write(out.Bytes())
	return err
}

func splitDocuments(s string) []string {
	var docs []string
	var cur []string
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimRight(line, " ") == "---" {
			docs = append(docs, strings.Join(cur, "\n"))
			cur = nil
			continue
		}
		cur = append(cur, line)
	}
	docs = append(docs, strings.Join(cur, "\n"))
	var nonEmpty []string
	for _, d := range docs {
		trimmed := strings.TrimSpace(d)
		onlyComments := true
		for _, l := range strings.Split(trimmed, "\n") {
			l = strings.TrimSpace(l)
			if l != "" && !strings.HasPrefix(l, "#") {
				onlyComments = false
				break
			}
		}
		if !onlyComments {
			nonEmpty = append(nonEmpty, d)
		}
	}
	return nonEmpty
}
