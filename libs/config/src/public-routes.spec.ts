import { PUBLIC_ROUTES, routePublicPath } from './public-routes';

describe('public routing table', () => {
  it.each([
    ['/identity/match_token', 'contact-sync'],
    ['/identity/match', 'contact-sync'],
    ['/identity/create', 'directory'],
    ['/identity/ECHOECHO', 'directory'],
    ['/identity/fetch_bulk', 'directory'],
    ['/push/ws', 'push'],
  ])('routes %s to %s', (path, service) => {
    expect(routePublicPath(path)).toBe(service);
  });

  it.each([['/metrics'], ['/readyz'], ['/healthz'], ['/'], ['/identityx']])('never exposes %s', (path) => {
    expect(routePublicPath(path)).toBeUndefined();
  });

  it('lists specific prefixes before the general ones they overlap', () => {
    PUBLIC_ROUTES.forEach((route, index) => {
      const shadowing = PUBLIC_ROUTES.slice(0, index).find((earlier) =>
        route.pathPrefix.startsWith(earlier.pathPrefix),
      );
      expect(shadowing).toBeUndefined();
    });
  });
});
