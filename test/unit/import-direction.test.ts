/**
 * The import direction of the layout (docs/architecture.md#repository-layout), checked on the import
 * graph itself, parsed with the TypeScript compiler: the same rules ESLint's no-restricted-imports
 * enforces per folder (eslint.config.mjs), plus what only a graph shows: the worker image's entry points
 * reach no sandbox or test code, and every package they load at run time is a runtime dependency.
 */
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

interface ImportEdge {
  /** The specifier as written. */
  spec: string;
  /** `import type` / `export type`: erased, never loaded at run time. */
  typeOnly: boolean;
}

/** Every import, export-from, `import()` and `require()` of one file. */
function importsOf(file: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: ImportEdge[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier))
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false });
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      out.push({ spec: node.arguments[0].text, typeOnly: false });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The file a relative specifier names (`.ts`, `.js`, a folder's index.ts), or undefined. */
function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** The top-level folder of a repository file: `activities/sync/x.ts` → `activities`. */
const topFolder = (file: string): string => relative(ROOT, file).split(sep)[0]!;

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f));
}

/** What each folder may not import: any import of a listed folder, except types of a `typesAllowed` one. */
const RULES: Record<string, { folders: string[]; typesAllowed?: string[] }> = {
  core: { folders: ['activities', 'workflows', 'worker', 'client', 'common', 'sandbox'] },
  workflows: {
    folders: ['activities', 'worker', 'client', 'common', 'sandbox'],
    typesAllowed: ['activities'],
  },
  activities: { folders: ['worker', 'client', 'sandbox'] },
  common: { folders: ['activities', 'worker', 'client', 'sandbox'] },
  worker: { folders: ['client', 'sandbox'] },
  // npm start (client/start) loads the sandbox through its package, `@sfzd/sandbox`, never by path.
  client: { folders: ['sandbox'] },
};

/** Whether an import from a file of folder `from` of a file of folder `to` breaks the rules. */
function refused(from: string, to: string, typeOnly: boolean): boolean {
  const rule = RULES[from];
  if (!rule?.folders.includes(to)) return false;
  return !(typeOnly && rule.typesAllowed?.includes(to));
}

describe('import direction', () => {
  for (const [folder, rule] of Object.entries(RULES))
    it(`${folder}/ imports none of ${rule.folders.join(', ')}${rule.typesAllowed ? ` (types of ${rule.typesAllowed.join(', ')} only)` : ''}`, () => {
      const files = tsFiles(folder);
      assert.ok(files.length > 0, `${folder}/ has no TypeScript files`);
      const violations: string[] = [];
      for (const file of files)
        for (const edge of importsOf(file)) {
          if (!edge.spec.startsWith('.')) continue;
          const target = resolveRelative(file, edge.spec);
          assert.ok(target, `${relative(ROOT, file)}: '${edge.spec}' names no file`);
          if (refused(folder, topFolder(target), edge.typeOnly))
            violations.push(
              `${relative(ROOT, file)} → ${relative(ROOT, target)}${edge.typeOnly ? ' (type)' : ''}`,
            );
        }
      assert.deepEqual(violations, []);
    });

  it('refuses each kind of wrong import and allows the right ones', () => {
    // The decision the checks above use, on edges built to break (or keep) each rule.
    for (const [from, to, typeOnly] of [
      ['activities', 'worker', true],
      ['activities', 'client', false],
      ['workflows', 'activities', false],
      ['workflows', 'common', true],
      ['core', 'workflows', true],
      ['common', 'worker', false],
      ['common', 'activities', false],
      ['worker', 'sandbox', false],
      ['client', 'sandbox', false],
    ] as const)
      assert.equal(refused(from, to, typeOnly), true, `${from} → ${to}${typeOnly ? ' (type)' : ''}`);
    for (const [from, to, typeOnly] of [
      ['workflows', 'activities', true],
      ['activities', 'common', false],
      ['common', 'workflows', false],
      ['worker', 'activities', false],
      ['client', 'common', false],
    ] as const)
      assert.equal(refused(from, to, typeOnly), false, `${from} → ${to}${typeOnly ? ' (type)' : ''}`);
  });
});

describe('runtime dependencies of the worker image', () => {
  /** What the image runs: the `sfzd` launcher (worker, listen, CLI, codec server) and the health check. */
  const ENTRY_POINTS = ['bin/sfzd.js', 'bin/healthcheck.js', 'workflows/index.ts'];
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

  /** Files the entry points load at run time (type-only imports are erased) and the packages they name. */
  function runtimeGraph(): { files: Set<string>; packages: Map<string, string> } {
    const files = new Set<string>();
    const packages = new Map<string, string>();
    const queue = ENTRY_POINTS.map((f) => join(ROOT, f));
    while (queue.length) {
      const file = queue.pop()!;
      if (files.has(file)) continue;
      files.add(file);
      for (const edge of importsOf(file)) {
        if (edge.typeOnly) continue;
        if (edge.spec.startsWith('.')) {
          const target = resolveRelative(file, edge.spec);
          assert.ok(target, `${relative(ROOT, file)}: '${edge.spec}' names no file`);
          queue.push(target);
        } else if (!builtins.has(edge.spec)) {
          const name = edge.spec.startsWith('@')
            ? edge.spec.split('/').slice(0, 2).join('/')
            : edge.spec.split('/')[0]!;
          if (!packages.has(name)) packages.set(name, relative(ROOT, file));
        }
      }
    }
    return { files, packages };
  }

  it('reaches no sandbox, test, bench or chaos code', () => {
    const { files } = runtimeGraph();
    assert.ok(files.size > 50, `only ${files.size} files reached: the graph walk is broken`);
    const outside = [...files]
      .map((f) => relative(ROOT, f))
      .filter((f) => ['sandbox', 'test', 'bench', 'chaos'].includes(f.split(sep)[0]!));
    assert.deepEqual(outside, []);
  });

  it('loads only packages of package.json `dependencies`', () => {
    const { packages } = runtimeGraph();
    assert.ok(packages.has('@temporalio/worker'), 'the walk found no package imports');
    const missing = [...packages]
      .filter(([name]) => !(name in pkg.dependencies))
      .map(([name, file]) => `${name} (imported by ${file})`);
    assert.deepEqual(missing, []);
  });
});
