// Validates Kubernetes objects against the API schemas of the npm packages kubernetes-models (core API groups) and
// @kubernetes-models/prometheus-operator (ServiceMonitor, PrometheusRule, PodMonitor). Both are ES modules, which
// Jest's CommonJS runtime cannot load, so the chart tests run this as a child process:
//   node tools/deploy-checks/validate-objects.mjs < objects.json   (a JSON array of objects)
// Prints a JSON array with one entry per object: { kind, name, error } where error is null when the object is
// valid, or "no schema" for kinds neither package models (e.g. CloudNativePG's Cluster).
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name ?? null;
  const modulePath = apiVersion.startsWith('monitoring.coreos.com/')
    ? `@kubernetes-models/prometheus-operator/${apiVersion}`
    : `kubernetes-models/${apiVersion}`;
  let Model;
  try {
    Model = (await import(modulePath))[kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== 'function') {
    results.push({ apiVersion, kind, name, error: 'no schema' });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ apiVersion, kind, name, error: null });
  } catch (error) {
    results.push({ apiVersion, kind, name, error: String(error.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
