import { PUBLIC_ROUTES } from '@ots/config';
import { format, resolveConfig } from 'prettier';

import { DASHBOARDS, renderDashboard, SERVICES } from './dashboards';
import { SERVICE_SHAPES, serviceSchema, umbrellaSchema } from './schemas';

/**
 * Workspace-relative path → content of every file this project generates (`nx run deploy-checks:generate`),
 * formatted with the workspace's Prettier settings so `prettier --check` agrees with the generator.
 */
export async function generatedFiles(root: string): Promise<Map<string, string>> {
  const raw = rawFiles();
  const formatted = new Map<string, string>();
  for (const [path, content] of raw) {
    const options = (await resolveConfig(`${root}/${path}`)) ?? {};
    formatted.set(path, await format(content, { ...options, filepath: `${root}/${path}` }));
  }
  return formatted;
}

function rawFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

  // the public routing table for the Ingress: PUBLIC_ROUTES, in order, with each owner's default HTTP port
  files.set(
    'charts/ots/files/public-routes.json',
    json({
      comment:
        'Generated from PUBLIC_ROUTES (libs/config/src/public-routes.ts) by `npx nx run deploy-checks:generate`; do not edit.',
      routes: PUBLIC_ROUTES.map((route) => ({
        pathPrefix: route.pathPrefix,
        service: route.service,
        defaultPort: SERVICE_SHAPES[route.service].port,
      })),
    }),
  );
  for (const dashboard of DASHBOARDS)
    files.set(`charts/ots/files/dashboards/${dashboard.file}`, renderDashboard(dashboard));
  for (const service of SERVICES)
    files.set(`charts/ots-${service}/values.schema.json`, json(serviceSchema(service)));
  files.set('charts/ots/values.schema.json', json(umbrellaSchema()));
  return files;
}
