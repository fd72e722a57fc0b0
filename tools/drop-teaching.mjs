// Drops the teaching layer (token inspector, break-it lab, config doctor, token CLI) and leaves the lean core:
//   node tools/drop-teaching.mjs            # in your copy of the starter; then commit the result
//   node tools/drop-teaching.mjs --dry-run  # only lists what it would do
// What it removes: every folder named teaching/ (apps/*/src/**, e2e/src, libs/shared), every line that ends with
// "teaching layer" (the one-line plug-ins: a route list, a build entry, a compose variable, a README row), the
// blocks between "teaching layer: begin" and "teaching layer: end", the npm scripts and Nx targets of the
// two CLIs, and the import aliases of libraries in teaching/ folders. `npm test` runs it in a scratch copy
// (tools/check-lean.mjs), so it stays true.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dryRun = process.argv.includes('--dry-run');

/** Where teaching/ folders may be. */
const SOURCE_ROOTS = ['apps', 'e2e', 'libs'];
/** Files whose lines are searched for the markers. */
const TEXT = /\.(ts|mts|mjs|js|json|html|css|md|ya?ml|sh|conf)$|(^|\/)(Dockerfile|\.env\.example)$/;
const SKIP =
  /(^|\/)(node_modules|dist|\.nx|\.angular|\.data|\.cache|coverage|test-results|playwright-report|\.git)(\/|$)/;
const LINE = /(\/\/|#|--|<!--)\s*teaching layer\s*(-->)?\s*$/;
const BEGIN = /teaching layer: begin/;
const END = /teaching layer: end/;
/** npm scripts and Nx targets that run a teaching CLI (JSON has no comments to mark them with). */
const SCRIPTS = ['doctor', 'token'];
const TARGETS = { 'apps/api/project.json': ['doctor'], 'apps/auth-server/project.json': ['token'] };
/** The lab's keys in the SPA's dev config.json (the core ignores them; they go with the lab). */
const CONFIG_JSON = 'apps/web/public/config.json';
const LAB_KEYS = ['breakItLab', 'labOtherAudience', 'labShortLivedAudience', 'labRbacOffAudience'];
/** A build entry (project.json) or an import alias's target (tsconfig.base.json) inside a teaching/ folder. */
const TEACHING_PATH = /(^|\/)teaching\//;
const TSCONFIG = 'tsconfig.base.json';

function walk(dir, visit) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (SKIP.test(relative(root, path))) continue;
    const isDir = statSync(path).isDirectory();
    if (visit(path, name, isDir) !== false && isDir) walk(path, visit);
  }
}

const deleted = [];
const edited = [];

for (const top of SOURCE_ROOTS) {
  if (!existsSync(join(root, top))) continue;
  walk(join(root, top), (path, name, isDir) => {
    if (!isDir || name !== 'teaching') return true;
    walk(path, (file, _name, fileIsDir) => {
      if (!fileIsDir) deleted.push(relative(root, file));
    });
    if (!dryRun) rmSync(path, { recursive: true });
    return false;
  });
}

walk(root, (path, _name, isDir) => {
  const rel = relative(root, path);
  if (isDir || !TEXT.test(rel) || rel === 'tools/drop-teaching.mjs' || rel === 'tools/check-lean.mjs') return;
  const text = readFileSync(path, 'utf8');
  let next = text;
  if (/teaching layer/.test(text)) {
    let inBlock = false;
    next = text
      .split('\n')
      .filter((line) => {
        if (BEGIN.test(line)) inBlock = true;
        const keep = !inBlock && !LINE.test(line);
        if (END.test(line)) inBlock = false;
        return keep;
      })
      .join('\n');
  }
  if (rel === 'package.json' || rel === CONFIG_JSON || rel === TSCONFIG || rel in TARGETS) {
    next = dropFromJson(rel, next);
  }
  if (next !== text) {
    edited.push(rel);
    if (!dryRun) writeFileSync(path, next);
  }
});

function dropFromJson(rel, text) {
  const json = JSON.parse(text);
  let changed = false;
  const drop = (object, key) => {
    if (object && key in object) {
      delete object[key];
      changed = true;
    }
  };
  if (rel === 'package.json') for (const script of SCRIPTS) drop(json.scripts, script);
  if (rel === CONFIG_JSON) for (const key of LAB_KEYS) drop(json, key);
  for (const target of TARGETS[rel] ?? []) drop(json.targets, target);
  const paths = rel === TSCONFIG ? json.compilerOptions?.paths : undefined;
  for (const [alias, targets] of Object.entries(paths ?? {})) {
    if (targets.some((target) => TEACHING_PATH.test(target))) drop(paths, alias);
  }
  const build = json.targets?.build?.options;
  if (Array.isArray(build?.additionalEntryPoints)) {
    const kept = build.additionalEntryPoints.filter((entry) => !TEACHING_PATH.test(String(entry)));
    if (kept.length !== build.additionalEntryPoints.length) {
      changed = true;
      if (kept.length > 0) build.additionalEntryPoints = kept;
      else delete build.additionalEntryPoints;
    }
  }
  return changed ? `${JSON.stringify(json, null, 2)}\n` : text;
}

// Leave the edited files as prettier writes them, so `npm test`'s format check passes on the result.
if (!dryRun && edited.length > 0) {
  const prettier = await import('prettier');
  for (const file of edited) {
    const path = join(root, file);
    const options = await prettier.resolveConfig(path);
    const info = await prettier.getFileInfo(path);
    if (info.ignored || info.inferredParser === null) continue;
    writeFileSync(path, await prettier.format(readFileSync(path, 'utf8'), { ...options, filepath: path }));
  }
}

const verb = dryRun ? 'would delete' : 'deleted';
console.log(
  `${verb} ${deleted.length} file(s) in teaching/ folders; ${dryRun ? 'would edit' : 'edited'} ${edited.length} file(s):`,
);
for (const file of edited) console.log(`  ${file}`);
if (!dryRun) console.log('Next: npm install (nothing to add or remove), then npm test.');
