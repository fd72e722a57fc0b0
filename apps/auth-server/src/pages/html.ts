/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(
    strings.reduce((out, part, index) => {
      if (index === 0) return part;
      const value = values[index - 1];
      const rendered = Array.isArray(value)
        ? value.map((item) => (item instanceof Html ? item.value : escapeHtml(String(item)))).join('')
        : value instanceof Html
          ? value.value
          : value === undefined || value === null || value === false
            ? ''
            : escapeHtml(String(value));
      return out + rendered + part;
    }, ''),
  );
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f3f4f6;color:#111827;
  font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:min(420px,calc(100vw - 32px));background:#fff;border-radius:12px;padding:32px;
  box-shadow:0 1px 3px rgba(0,0,0,.1),0 8px 24px rgba(0,0,0,.06)}
h1{font-size:22px;margin:0 0 4px}
p{margin:0 0 16px;color:#4b5563}
.dev{display:inline-block;font-size:12px;font-weight:600;letter-spacing:.02em;color:#92400e;background:#fef3c7;
  border-radius:999px;padding:2px 10px;margin-bottom:16px}
label{display:block;font-weight:600;margin:12px 0 4px}
input[type=email],input[type=password]{width:100%;padding:10px 12px;border:1px solid #d1d5db;border-radius:8px;font:inherit}
input:focus{outline:2px solid #6366f1;outline-offset:1px}
button{font:inherit;cursor:pointer;border:0;border-radius:8px}
.primary{width:100%;margin-top:20px;padding:11px;background:#4f46e5;color:#fff;font-weight:600}
.primary:hover{background:#4338ca}
.error{color:#b91c1c;background:#fef2f2;border:1px solid #fecaca;border-radius:8px;padding:10px 12px;margin:16px 0 0}
.demo{margin-top:28px;border-top:1px solid #e5e7eb;padding-top:16px}
.demo h2{font-size:14px;margin:0 0 8px}
.demo form{margin:0}
.demo button{width:100%;text-align:left;background:#f9fafb;border:1px solid #e5e7eb;padding:8px 10px;margin-top:6px}
.demo button:hover{background:#eef2ff}
.demo small{display:block;color:#6b7280}
code{font-size:13px;background:#f3f4f6;border-radius:4px;padding:1px 4px;word-break:break-all}
`;

/** The security headers every page gets; a `nonce` allows one inline script. */
export function pageHeaders(nonce?: string): Record<string, string> {
  const script = nonce ? `; script-src 'nonce-${nonce}'` : '';
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'${script}`,
  };
}

/** A complete page in the auth server's look. */
export function page(title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <main>
          <span class="dev">Development authorization server</span>
          ${body}
        </main>
      </body>
    </html> `.value;
}
