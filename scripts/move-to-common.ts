/**
 * One-off layout move (issue #14, item 2), kept so that it can be re-run after a merge:
 *
 *   npx tsx scripts/move-to-common.ts        # on a clean tree; then npm run typecheck && npm run lint
 *
 * `git mv`s what every process shares into common/ and rewrites every relative import (and every
 * path written in comments or docs) that named the old place. Idempotent: moves already made are skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
/** Old path → new path, files or folders, relative to the repository root, without `.ts` for files. */
const MOVES: [string, string][] = [
  ['worker/temporal-connection', 'common/temporal-connection'],
  ['worker/encryption', 'common/encryption'],
  ['worker/env', 'common/env'],
  ['worker/report-fatal', 'common/report-fatal'],
  ['client/search-attributes', 'common/search-attributes'],
  ['client/record-workflows', 'common/record-workflows'],
];

const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

/**
 * Every moved file, old module id → new one (no `.ts`), listed from whichever side exists: before the
 * move the old folder, after it (re-run on a merge that brought new imports of old paths) the new one.
 */
function fileMoves(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [from, to] of MOVES) {
    if (existsSync(join(ROOT, `${from}.ts`)) || existsSync(join(ROOT, `${to}.ts`))) out.set(from, to);
    else {
      const side = existsSync(join(ROOT, from)) ? from : to;
      for (const f of git('ls-files', side)
        .split('\n')
        .filter((l) => l.endsWith('.ts'))) {
        const rest = f.slice(side.length).replace(/\.ts$/, '');
        out.set(from + rest, to + rest);
      }
    }
  }
  return out;
}

const moves = fileMoves();
const tracked = git('ls-files')
  .split('\n')
  .filter(
    (f) =>
      /\.(ts|js|mjs|md|ya?ml|sh|json)$|(^|\/)Dockerfile$/.test(f) &&
      !f.endsWith('package-lock.json') &&
      f !== 'scripts/move-to-common.ts',
  );

/** The module id a relative specifier of `fromFile` names: a file (`a/b`) or a folder's index (`a/b/index`). */
function target(fromFile: string, spec: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(fromFile), spec)).replace(/\.ts$/, '');
  // An old path names a moved module even once it is gone (a merge brought a new import of it).
  if (moves.has(base)) return base;
  if (moves.has(`${base}/index`)) return `${base}/index`;
  if (existsSync(join(ROOT, `${base}.ts`))) return base;
  if (existsSync(join(ROOT, base, 'index.ts'))) return `${base}/index`;
  return undefined;
}

function newId(id: string): string {
  return moves.get(id) ?? id;
}

/** Rewrites relative import specifiers of one file, given its name before and after the move. */
function rewriteImports(text: string, oldFile: string, newFile: string): string {
  return text.replace(
    /(\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g,
    (all, lead: string, quote: string, spec: string) => {
      const id = target(oldFile, spec);
      if (!id) return all;
      const isIndex = id.endsWith('/index') && !spec.endsWith('/index');
      let moved = newId(id);
      if (isIndex) moved = moved.replace(/\/index$/, '');
      else if (spec.endsWith('.ts')) moved += '.ts';
      let rel = posix.relative(posix.dirname(newFile), moved);
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${lead}${quote}${rel}${quote}`;
    },
  );
}

// 1. Rewrite imports in every TypeScript/JavaScript file (before moving: specifiers resolve against the old tree).
const edits = new Map<string, string>();
for (const file of tracked.filter((f) => /\.(ts|js|mjs)$/.test(f))) {
  const id = file.replace(/\.(ts|js|mjs)$/, '');
  const ext = file.slice(id.length);
  const newFile = `${newId(id)}${ext}`;
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out = rewriteImports(text, file, newFile);
  if (out !== text) edits.set(file, out);
}
for (const [file, text] of edits) writeFileSync(join(ROOT, file), text);

// 2. Paths written out in comments and docs (`worker/env.ts`, `worker/encryption/`).
const textual: [RegExp, string][] = MOVES.map(([from, to]) => [
  new RegExp(`(?<![\\w./-])${from.replace(/[/.]/g, '\\$&')}(?=\\.ts\\b|/)`, 'g'),
  to,
]);
for (const file of tracked) {
  const path = join(ROOT, file);
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  let out = text;
  for (const [re, to] of textual) out = out.replace(re, to);
  if (out !== text) writeFileSync(path, out);
}

// 3. The moves themselves, with git so that history follows.
for (const [from, to] of MOVES) {
  const src = existsSync(join(ROOT, `${from}.ts`)) ? `${from}.ts` : from;
  const dst = src === from ? to : `${to}.ts`;
  if (!existsSync(join(ROOT, src))) continue;
  execFileSync('mkdir', ['-p', dirname(join(ROOT, dst))]);
  git('mv', src, dst);
}

// 4. tsconfig includes the new folder.
const tsconfigPath = join(ROOT, 'tsconfig.json');
const tsconfig = readFileSync(tsconfigPath, 'utf8');
if (!tsconfig.includes('"common"'))
  writeFileSync(tsconfigPath, tsconfig.replace('"include": [\n', '"include": [\n    "common",\n'));

console.log(`moved ${moves.size} files; rewrote imports in ${edits.size} files`);
