import { expectedOrigin, isSameOrigin } from '../../../admin/security/same-origin';
import { sessionCookieOptions } from '../../../admin/auth/session';

describe('same-origin check for console writes', () => {
  const origin = 'https://console.example.com';

  it('accepts the console origin from Origin, or from Referer when Origin is absent', () => {
    expect(isSameOrigin({ origin }, origin)).toBe(true);
    expect(isSameOrigin({ referer: `${origin}/admin/resources/ScimSetting` }, origin)).toBe(true);
  });

  it('refuses other sites, opaque origins, look-alikes and requests naming no origin', () => {
    expect(isSameOrigin({ origin: 'https://evil.example' }, origin)).toBe(false);
    expect(isSameOrigin({ origin: 'null' }, origin)).toBe(false);
    expect(isSameOrigin({ origin: 'https://console.example.com.evil.example' }, origin)).toBe(false);
    expect(isSameOrigin({ origin: 'http://console.example.com' }, origin)).toBe(false);
    expect(isSameOrigin({ origin: 'https://evil.example', referer: `${origin}/admin` }, origin)).toBe(false);
    expect(isSameOrigin({ referer: 'not a url' }, origin)).toBe(false);
    expect(isSameOrigin({}, origin)).toBe(false);
    expect(isSameOrigin({ origin }, undefined)).toBe(false);
  });

  it('takes the origin from PUBLIC_BASE_URL when set, else from the request', () => {
    expect(expectedOrigin('https://console.example.com/base/', 'http', 'internal:3000')).toBe(origin);
    expect(expectedOrigin(undefined, 'http', '127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(expectedOrigin(undefined, 'http', undefined)).toBeUndefined();
  });
});

describe('session cookie', () => {
  it('is httpOnly and SameSite=Lax, confined to /admin, and Secure behind TLS', () => {
    expect(sessionCookieOptions(undefined)).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: false, path: '/admin' });
    expect(sessionCookieOptions('https://console.example.com').secure).toBe(true);
    expect(sessionCookieOptions('http://localhost:3000').secure).toBe(false);
  });
});
