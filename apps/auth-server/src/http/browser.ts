/** A cookie as a browser keeps it: name, value and the path it is sent on. */
interface StoredCookie {
  readonly value: string;
  readonly path: string;
}

/**
 * Just enough of a browser for the login flow over plain HTTP: a cookie jar (paths honoured, deletions
 * applied) and redirects followed one at a time, so the token CLI (and tests) can stop at the app's callback URL.
 */
export class Browser {
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(readonly origin?: string) {}

  /** One request, no redirect following. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = [...this.cookies]
      .filter(([, stored]) => target.pathname.startsWith(stored.path))
      .map(([key, stored]) => `${key.split(';')[0]}=${stored.value}`)
      .join('; ');
    if (cookie) headers.set('cookie', cookie);
    if (this.origin && init.method === 'POST') headers.set('origin', this.origin);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  }

  /**
   * Follows redirects until a page is returned or the next location satisfies `stopAt`.
   * @returns the last response and, when stopped at one, that location.
   */
  async follow(url: string, init: RequestInit = {}, stopAt: (location: string) => boolean = () => false) {
    let response = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
      const location = new URL(response.headers.get('location') ?? '', current).href;
      if (stopAt(location)) return { response, url: current, location };
      current = location;
      response = await this.request(current);
    }
    return { response, url: current, location: undefined };
  }

  /** Posts a urlencoded form, as a browser submitting it would. */
  async submit(url: string, fields: Record<string, string>, stopAt?: (location: string) => boolean) {
    return this.follow(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      },
      stopAt,
    );
  }

  hasCookie(name: string): boolean {
    return [...this.cookies.keys()].some((key) => key.split(';')[0] === name);
  }

  private store(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator);
    const value = pair.slice(separator + 1);
    const attribute = (attr: string) =>
      attributes.find((item) => item.toLowerCase().startsWith(`${attr}=`))?.slice(attr.length + 1);
    const path = attribute('path') ?? '/';
    const expires = attribute('expires');
    const removed =
      value === '' ||
      attribute('max-age') === '0' ||
      (expires !== undefined && Date.parse(expires) <= Date.now());
    const key = `${name};${path}`;
    if (removed) this.cookies.delete(key);
    else this.cookies.set(key, { value, path });
  }
}
