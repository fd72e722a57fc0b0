// Where a new token's verification time goes, in one process with no HTTP: the same distinct RS256 tokens checked
// by one signature check alone (the floor row's work) and by passport-jwt (which verifies with jsonwebtoken) through
// passport, as the API and the textbook app call it, with the key as a KeyObject and as the PEM string jwks-rsa's
// passportJwtSecret hands over. Prints CPU µs per token and the ratio to the signature check alone, medians of rotating rounds.
// It asserts nothing about time: a step that fails to verify a valid token ends it with exit code 1.
import { createPublicKey, verify } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import passport from 'passport';
import { Strategy } from 'passport-jwt';
import { startLocalIssuer } from './local-issuer.mjs';

const { values: flags } = parseArgs({
  options: {
    tokens: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`Usage: node apps/api/bench/verify-steps.mjs [--tokens N] [--rounds N]
  --tokens N   distinct tokens per step per round (default 10000)
  --rounds N   rounds, the order of steps rotating (default 5); medians shown`);
  process.exit(0);
}
const tokensPerRound = Number(flags.tokens);
const rounds = Number(flags.rounds);
for (const [name, value] of [
  ['--tokens', tokensPerRound],
  ['--rounds', rounds],
]) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(
      `${name} must be a whole number of 1 or more, like 10000 (got ${JSON.stringify(String(value))})`,
    );
    process.exit(2);
  }
}

const AUDIENCE = 'https://api.bench.example';
const issuer = await startLocalIssuer({ audience: AUDIENCE });
const jwks = await (await fetch(issuer.jwksUri('steps'))).json();
await issuer.close();
const keyObject = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
const pem = keyObject.export({ format: 'pem', type: 'spki' });
const verifyOptions = { algorithms: ['RS256'], issuer: issuer.issuerUrl, audience: AUDIENCE };

// Every step of every round gets tokens it has never seen (nothing below caches, but the CPU caches would).
const steps = [
  {
    name: 'one RS256 signature check (node:crypto, KeyObject): the floor row',
    check: (token) => {
      const dot = token.lastIndexOf('.');
      return verify(
        'sha256',
        Buffer.from(token.slice(0, dot)),
        keyObject,
        Buffer.from(token.slice(dot + 1), 'base64url'),
      );
    },
  },
  ...[
    ['KeyObject, as this API hands it over', keyObject],
    ["PEM string, as jwks-rsa's passportJwtSecret hands it over", pem],
  ].map(([label, key], index) => {
    const name = `steps-${index}`;
    passport.use(
      name,
      new Strategy(
        {
          jwtFromRequest: (request) => /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? null,
          secretOrKeyProvider: (_request, _token, done) => done(null, key),
          ...verifyOptions,
        },
        (payload, done) => done(null, payload),
      ),
    );
    return {
      name: `passport-jwt via passport.authenticate (${label})`,
      check: (token) =>
        new Promise((resolve) => {
          const request = { headers: { authorization: `Bearer ${token}` } };
          passport.authenticate(name, { session: false }, (error, user) => resolve(!error && !!user))(
            request,
            {},
            () => resolve(false),
          );
        }),
    };
  }),
];

const pool = await issuer.mint(tokensPerRound * steps.length * (rounds + 1));
let cursor = 0;
const nextTokens = () => pool.slice(cursor, (cursor += tokensPerRound));

/** CPU µs per token of one step over fresh tokens. */
async function measure(step) {
  const tokens = nextTokens();
  const before = process.cpuUsage();
  for (const token of tokens) {
    if (!(await step.check(token))) {
      console.error(`${step.name}: a valid token did not verify`);
      process.exit(1);
    }
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / tokens.length;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const step of steps) await measure(step); // warm-up round
const results = steps.map(() => []);
for (let round = 0; round < rounds; round += 1) {
  for (let i = 0; i < steps.length; i += 1) {
    const index = (i + round) % steps.length;
    results[index].push(await measure(steps[index]));
  }
}

const floor = median(results[0]);
console.log(`${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; ${rounds} rounds of ${tokensPerRound} new tokens a step, medians
| step | CPU µs/token | × the signature check | more than it, µs |
| --- | ---: | ---: | ---: |`);
steps.forEach((step, index) => {
  const us = median(results[index]);
  console.log(
    `| ${step.name} | ${us.toFixed(1)} | ${(us / floor).toFixed(2)} | ${(us - floor).toFixed(1)} |`,
  );
});
