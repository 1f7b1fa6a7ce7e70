/** A response read to its end: express-session saves a changed session before it ends the body. */
export interface ConsoleResponse {
  status: number;
  headers: Headers;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * A signed-in (or not) console user over plain HTTP: one cookie jar, same-origin headers like
 * a browser's unless a test forges them.
 */
export class ConsoleClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get sessionCookie(): string | undefined {
    return this.cookies.get('scim_console');
  }

  setSessionCookie(value: string): void {
    this.cookies.set('scim_console', value);
  }

  async request(
    method: string,
    path: string,
    options: { form?: Record<string, string | string[]>; origin?: string | null; headers?: Record<string, string> } = {},
  ): Promise<ConsoleResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && options.origin !== null) headers.Origin = options.origin ?? this.baseUrl;
    let body: string | undefined;
    if (options.form) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(options.form)) for (const v of [value].flat()) params.append(key, v);
      body = params.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value.join('='));
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text, json: <T>() => JSON.parse(text) as T };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  post(path: string, form: Record<string, string | string[]>, origin?: string | null) {
    return this.request('POST', path, { form, origin });
  }

  async login(email: string, password: string): Promise<ConsoleResponse> {
    return this.post('/admin/login', { email, password });
  }

  /** The per-session token a console form carries, read from the page as a browser would. */
  async formToken(path: string): Promise<string> {
    const page = (await this.get(path)).body;
    const match = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!match?.[1]) throw new Error(`no form token on ${path}`);
    return match[1];
  }

  async json<T = Record<string, unknown>>(path: string): Promise<T> {
    const response = await this.get(path, { Accept: 'application/json' });
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return response.json<T>();
  }
}
