import { loadConfig } from '../../../src/config';
import { configuredOrigin, tenantUrl } from '../../../src/settings/tenant-url';

/** What `npm start` and `npm run cli:create-scim-setting` print as the Tenant URL. */
describe('the Tenant URL the CLI prints', () => {
  it('is the docs’ `…/scim` on the configured port', () => {
    expect(tenantUrl(configuredOrigin(loadConfig({})))).toBe('http://localhost:3000/scim');
    expect(tenantUrl(configuredOrigin(loadConfig({ PORT: '4100' })))).toBe('http://localhost:4100/scim');
  });

  it('is under PUBLIC_BASE_URL when that is configured, whatever the port', () => {
    expect(tenantUrl(configuredOrigin(loadConfig({ PORT: '4100', PUBLIC_BASE_URL: 'https://scim.example.com/' })))).toBe('https://scim.example.com/scim');
    expect(tenantUrl(configuredOrigin(loadConfig({ PUBLIC_BASE_URL: 'https://example.com/provisioning' })))).toBe('https://example.com/provisioning/scim');
  });
});
