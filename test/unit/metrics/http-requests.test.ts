import { routeTemplate } from '../../../src/metrics/http-requests';

describe('route templates', () => {
  it('join the mount, lower-cased, and the path as declared', () => {
    expect([
      routeTemplate('/scim/v2/Users', '/:id'),
      routeTemplate('/SCIM/V2/USERS', '/:id'),
      routeTemplate('/scim/Groups', '/:id'),
      routeTemplate('', '/healthz'),
      routeTemplate('/scim/v2', '/Schemas/:id'),
    ]).toEqual(['/scim/v2/users/:id', '/scim/v2/users/:id', '/scim/groups/:id', '/healthz', '/scim/v2/Schemas/:id']);
  });

  it("name a router's root by its mount", () => {
    expect([routeTemplate('/scim/v2/Users', '/'), routeTemplate('', '/')]).toEqual(['/scim/v2/users', '/']);
  });

  it('list every path of a route declared with several', () => {
    expect(routeTemplate('/scim/v2', ['/ServiceProviderConfig', '/serviceConfiguration'])).toBe('/scim/v2/ServiceProviderConfig|/scim/v2/serviceConfiguration');
  });
});
