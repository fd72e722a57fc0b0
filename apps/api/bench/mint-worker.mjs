// Mints a slice of the benchmark's access tokens off the main thread (RS256 signing is ~0.3 ms a token).
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { signToken } from './local-issuer.mjs';

const { privatePem, kid, issuerUrl, audience, prefix, from, count } = workerData;
const privateKey = createPrivateKey(privatePem);
const tokens = new Array(count);
for (let i = 0; i < count; i += 1) {
  tokens[i] = signToken(privateKey, kid, { issuerUrl, audience, subject: `auth0|${prefix}-${from + i}` });
}
parentPort.postMessage(tokens);
