export { DpopProofError, type DpopProofEvidence, type DpopProofReason } from './lib/dpop-proof-error';
export { DpopNonces, MIN_NONCE_SECRET_BYTES, type DpopNoncesOptions } from './lib/nonce';
export { DpopReplayCache, type DpopReplayCacheOptions } from './lib/replay-cache';
export { generateDpopKey, signDpopProof, type DpopKey, type DpopProofOptions } from './lib/sign-dpop-proof';
export { accessTokenHash, jwkThumbprint } from './lib/thumbprint';
export {
  DPOP_ALGORITHMS,
  isDpopAlgorithm,
  MAX_JTI_LENGTH,
  MAX_PROOF_LENGTH,
  verifyDpopProof,
  type DpopAlgorithm,
  type VerifiedDpopProof,
  type VerifyDpopProofOptions,
} from './lib/verify-dpop-proof';
