import request from 'supertest';
import { createKey, TestIssuer } from './support/issuer';
import { startTestApi, type TestApi } from './support/test-api';

// Jest's limit only catches a hang: an app starts in under a second, but in several on a machine busy with builds.
jest.setTimeout(60_000);

/**
 * What API_DOCS serves of the OpenAPI description, with and without NODE_ENV=production. Each test starts its own
 * app with its own environment.
 */
describe('API_DOCS (real AppModule over HTTP)', () => {
  let issuer: TestIssuer;
  let api: TestApi | undefined;

  beforeEach(async () => {
    issuer = await TestIssuer.start([await createKey('key-1')]);
  });

  afterEach(async () => {
    await api?.close();
    api = undefined;
    await issuer.stop();
  });

  /** The URL of the API the test started. */
  function apiUrl(): string {
    if (api === undefined) throw new Error('start the API first');
    return api.url;
  }

  /** Starts the API with `env` and returns the status of each docs URL. */
  async function served(env: Record<string, string>) {
    const started = await startTestApi(issuer, { LOG_LEVEL: 'warn', ...env });
    api = started;
    const status = async (path: string) => (await request(started.url).get(path)).status;
    return {
      ui: await status('/api/docs/'),
      json: await status('/api/docs-json'),
      yaml: await status('/api/docs-yaml'),
    };
  }

  it('serves Swagger UI and the JSON outside production', async () => {
    expect(await served({})).toEqual({ ui: 200, json: 200, yaml: 404 });
  });

  it('keeps Swagger UI off in production, and the JSON the tools read on', async () => {
    expect(await served({ NODE_ENV: 'production' })).toEqual({ ui: 404, json: 200, yaml: 404 });
    const document = (await request(apiUrl()).get('/api/docs-json')).body as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toContain('/api/messages/admin');
  });

  it('turns Swagger UI on in production with API_DOCS=ui', async () => {
    expect(await served({ NODE_ENV: 'production', API_DOCS: 'ui' })).toEqual({
      ui: 200,
      json: 200,
      yaml: 404,
    });
  });

  it('serves nothing with API_DOCS=off', async () => {
    expect(await served({ API_DOCS: 'off' })).toEqual({ ui: 404, json: 404, yaml: 404 });
  });

  it('does not keep a pasted token across reloads (no persistAuthorization)', async () => {
    await served({ API_DOCS: 'ui' });
    const page = await request(apiUrl()).get('/api/docs/');
    expect(page.text).toContain('swagger-ui');
    const init = await request(apiUrl()).get('/api/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('"customOptions"');
    expect(init.text).not.toContain('persistAuthorization');
  });
});
