import { readFileSync } from 'node:fs';
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pk = lock.packages;
const missing = [];
for (const [path, meta] of Object.entries(pk)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    // resolve like node: walk up from path
    let base = path; let found = false;
    while (true) {
      const cand = (base ? base + '/' : '') + 'node_modules/' + dep;
      if (pk[cand]) { found = true; break; }
      if (!base) break;
      const i = base.lastIndexOf('node_modules/');
      base = i <= 0 ? '' : base.slice(0, i - 1);
    }
    if (!found) missing.push(`${path || '(root)'} -> ${dep}@${range}`);
  }
}
console.log(missing.join('\n') || 'complete');
