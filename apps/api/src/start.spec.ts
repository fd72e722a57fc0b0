import { createServer, type Server } from 'node:net';
import request from 'supertest';
import { createKey, TestIssuer } from '../test/support/issuer';
import { AUDIENCE } from '../test/support/test-api';
import { startApi } from './start';

/** A port that was free a moment ago, and optionally a server holding it. */
async function freePort(hold = false): Promise<{ port: number; server?: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as { port: number };
  if (hold) return { port, server };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { port };
}

describe('startApi', () => {
  let written: string;
  let exit: jest.Mock;
  const io = () => ({ stderr: { write: (text: string) => (written += text) }, exit });

  beforeEach(() => {
    written = '';
    exit = jest.fn();
  });
  afterEach(() => jest.restoreAllMocks());

  it("stops with the ConfigError's message alone, exit code 1 and no stack trace when the environment is invalid", async () => {
    // Nest must print nothing of its own (its error log carries the stack trace).
    const processOutput = jest.spyOn(process.stderr, 'write');
    const stdout = jest.spyOn(process.stdout, 'write');
    const started = await startApi({ AUTH_AUDIENCE: 'https://api.sample.local', PORT: 'abc' }, io());
    expect(started).toBeUndefined();
    expect(exit).toHaveBeenCalledWith(1);
    expect(written).toBe(
      'API environment is invalid (2 problems):\n' +
        '  - AUTH_ISSUER_URL is required: set it, for example AUTH_ISSUER_URL=https://your-tenant.us.auth0.com/\n' +
        '  - PORT must be a port number from 1 to 65535, like 3000 (got "abc")\n',
    );
    expect(written).not.toMatch(/\n\s+at /);
    expect(processOutput).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
  });

  describe('against an issuer', () => {
    let issuer: TestIssuer;

    beforeEach(async () => {
      issuer = await TestIssuer.start([await createKey('key-1')]);
    });
    afterEach(() => issuer.stop());

    const env = (port: number) => ({
      AUTH_ISSUER_URL: issuer.url,
      AUTH_AUDIENCE: AUDIENCE,
      PORT: String(port),
      LOG_LEVEL: 'silent',
    });

    it('listens on PORT, and fetches the JWKS once at start-up (no start-up checks of its own)', async () => {
      const { port } = await freePort();
      const app = await startApi(env(port), io());
      try {
        expect(app).toBeDefined();
        expect((await request(`http://127.0.0.1:${port}`).get('/health')).status).toBe(200);
        expect((await request(`http://127.0.0.1:${port}`).get('/health/ready')).status).toBe(200);
        expect(issuer.jwksFetches).toBe(1);
        expect(written).toBe('');
      } finally {
        await app?.close();
      }
    });

    it('says the port is in use, exit code 1, no stack trace', async () => {
      const { port, server } = await freePort(true);
      try {
        expect(await startApi(env(port), io())).toBeUndefined();
        expect(exit).toHaveBeenCalledWith(1);
        expect(written).toBe(
          `PORT ${port} is in use by another process: stop it, or set PORT to a free port.\n`,
        );
      } finally {
        server?.close();
      }
    });
  });
});
