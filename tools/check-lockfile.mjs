// Fails when package-lock.json lacks a platform's optional binary (npm install leaves out the ones the
// registry lacks, and `npm ci` then breaks on other platforms), or when it records download URLs.
import { readFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const packages = lock.packages;

/** Resolves `dep` from the package at `path` the way Node does: nearest node_modules upwards. */
function resolve(path, dep) {
  let base = path;
  for (;;) {
    if (packages[`${base ? `${base}/` : ''}node_modules/${dep}`]) return true;
    if (!base) return false;
    const at = base.lastIndexOf('/node_modules/');
    base = at === -1 ? '' : base.slice(0, at);
  }
}

const missing = [];
const resolved = [];
for (const [path, meta] of Object.entries(packages)) {
  if (meta.resolved?.startsWith('http')) resolved.push(path);
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    if (!resolve(path, dep)) missing.push(`${path || '(root)'} -> ${dep}@${range}`);
  }
}

if (missing.length > 0 || resolved.length > 0) {
  if (missing.length > 0) {
    console.error(
      `package-lock.json misses ${missing.length} optional platform package(s); npm ci would fail on those platforms.\n` +
        'Pin the parent (package.json "overrides") to the newest version whose binaries all exist:\n  ' +
        missing.join('\n  '),
    );
  }
  if (resolved.length > 0) {
    console.error(
      `package-lock.json records download URLs (${resolved[0]} …): reinstall with omit-lockfile-registry-resolved=true.`,
    );
  }
  process.exit(1);
}
console.log(
  `package-lock.json: ${Object.keys(packages).length} packages, every optional platform binary present.`,
);
