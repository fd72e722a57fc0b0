import { createHostCheck } from './host-check';

describe('createHostCheck', () => {
  const check = createHostCheck({
    issuer: 'http://localhost:4000/',
    listenPort: 4010,
    allowedHosts: [
      { hostname: 'auth-server', port: 4000 },
      { hostname: 'auth.internal', port: undefined },
    ],
  });

  it("serves the issuer's host and loopback names with the issuer's or the listening port", () => {
    for (const host of [
      'localhost:4000',
      'LOCALHOST:4000',
      '127.0.0.1:4000',
      '[::1]:4000',
      'localhost:4010',
      '127.0.0.1:4010',
    ]) {
      expect(check(host)).toBeUndefined();
    }
  });

  it('serves the names of AUTH_SERVER_ALLOWED_HOSTS, on their port when they name one', () => {
    expect(check('auth-server:4000')).toBeUndefined();
    expect(check('auth.internal:1234')).toBeUndefined();
    expect(check('auth.internal')).toBeUndefined();
    expect(check('auth-server:4001')?.status).toBe(421);
  });

  it('answers 421 to any other name: a DNS-rebinding page sends its own', () => {
    for (const host of ['rebind.attacker.example:4000', 'localhost:4001', 'localhost', '127.0.0.2:4000']) {
      expect(check(host)).toEqual({
        status: 421,
        text: 'This server answers to the host of its issuer http://localhost:4000/ only.\n',
      });
    }
  });

  it('answers 400 to a missing or malformed Host', () => {
    for (const host of [undefined, '', 'a b', 'localhost:4000/x', 'user@localhost:4000', 'localhost:0']) {
      expect(check(host)?.status).toBe(400);
    }
  });

  it("takes the scheme's default port for an issuer without one", () => {
    const https = createHostCheck({ issuer: 'https://auth.example.com/', listenPort: 4000 });
    expect(https('auth.example.com')).toBeUndefined();
    expect(https('auth.example.com:443')).toBeUndefined();
    expect(https('auth.example.com:80')?.status).toBe(421);
    expect(https('localhost:4000')).toBeUndefined();
  });
});
