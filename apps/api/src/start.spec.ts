import { startApi } from './start';

describe('startApi', () => {
  it("stops with the contract's message, exit code 1 and no stack trace when the environment is invalid", async () => {
    let written = '';
    const exit = jest.fn();
    const app = await startApi(
      { AUTH_AUDIENCE: 'https://api.sample.local', PORT: 'abc' },
      { stderr: { write: (text: string) => (written += text) }, exit },
    );
    expect(app).toBeUndefined();
    expect(exit).toHaveBeenCalledWith(1);
    expect(written).toBe(
      'API environment is invalid (2 problems):\n' +
        '  - AUTH_ISSUER_URL is required: set it, for example AUTH_ISSUER_URL=https://your-tenant.us.auth0.com/\n' +
        '  - PORT must be a port number from 1 to 65535, like 3000 (got "abc")\n',
    );
    expect(written).not.toMatch(/\n\s+at /);
  });
});
