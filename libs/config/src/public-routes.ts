/**
 * The single public HTTP routing table (architecture: one base URL for every client-facing path). The local
 * gateway of `npm start`, the docker-compose proxy and the Helm Ingress are all generated from this list.
 * Order matters: the first matching prefix wins, so more specific prefixes come first.
 */
export interface PublicRoute {
  readonly pathPrefix: string;
  readonly service: 'directory' | 'contact-sync' | 'push';
}

export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  // spec §4.3 identity/match_token and identity/match: contact discovery, held in memory only
  { pathPrefix: '/identity/match', service: 'contact-sync' },
  // spec §4.3 every other identity/… call
  { pathPrefix: '/identity/', service: 'directory' },
  // own push channel for de-Googled devices
  { pathPrefix: '/push/', service: 'push' },
];

/** The service owning a public path, or undefined when no route matches (answered 404 by the gateway). */
export function routePublicPath(path: string): PublicRoute['service'] | undefined {
  return PUBLIC_ROUTES.find((route) => path.startsWith(route.pathPrefix))?.service;
}
