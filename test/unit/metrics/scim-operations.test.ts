import { scimOperationOf, statusClass } from '../../../src/metrics/scim-operations';

describe('the SCIM operation a request asks for', () => {
  it.each([
    ['GET', '/Users', { resourceType: 'User', operation: 'list' }],
    ['GET', '/users/', { resourceType: 'User', operation: 'list' }],
    ['POST', '/Users', { resourceType: 'User', operation: 'create' }],
    ['GET', '/Users/2819c223', { resourceType: 'User', operation: 'get' }],
    ['PUT', '/Users/2819c223', { resourceType: 'User', operation: 'replace' }],
    ['PATCH', '/GROUPS/e9e30dba', { resourceType: 'Group', operation: 'patch' }],
    ['DELETE', '/Groups/e9e30dba', { resourceType: 'Group', operation: 'delete' }],
    ['POST', '/Groups', { resourceType: 'Group', operation: 'create' }],
  ])('%s %s', (method, path, expected) => {
    expect(scimOperationOf(method, path)).toEqual(expected);
  });

  it.each([
    ['GET', '/ServiceProviderConfig'],
    ['GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'],
    ['POST', '/Users/.search'],
    ['DELETE', '/Users'],
    ['GET', '/Users/a/b'],
    ['GET', '/'],
    ['OPTIONS', '/Users/a'],
  ])('%s %s is none', (method, path) => {
    expect(scimOperationOf(method, path)).toBeUndefined();
  });

  it('names outcomes by status class', () => {
    expect([200, 201, 204, 401, 404, 429, 500, 503].map(statusClass)).toEqual(['2xx', '2xx', '2xx', '4xx', '4xx', '4xx', '5xx', '5xx']);
  });
});
