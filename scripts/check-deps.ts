/**
 * `npm run check:deps` (run first by `npm test`): the dependency tree checked offline, from what npm
 * itself wrote and installed, because `npm audit` cannot reach an advisory service where this project
 * is developed.
 *
 * - Runtime dependencies (`dependencies` of package.json: what the worker image holds) are pinned to
 *   exact versions, the ones the lockfile resolves, and the lockfile's root entry says the same (so
 *   `npm ci` installs exactly them). So are the `dependencies` of each workspace package (the sandbox,
 *   sandbox/package.json), whose packages are installed for development and tests only.
 * - Every package of package-lock.json is installed at the locked version (optional platform packages
 *   may be absent), and the license in its own package.json is allowed by scripts/deps/licenses.json.
 * - No installed version falls in a known-vulnerable range of scripts/deps/advisories.json (node-semver
 *   ranges; a committed snapshot, refreshed with `--import-audit <npm audit --json output>` on a machine
 *   that reaches the registry's advisory endpoint).
 *
 * The summary counts the packages the image's runtime dependencies pull in (followed through the
 * lockfile), those only the workspaces need, and the rest (development).
 *
 * Reads the lockfile and ~500 small package.json files: well under a second.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';

export interface Advisory {
  id: string;
  package: string;
  range: string;
  severity?: string;
  title?: string;
  url?: string;
  rangeSource?: string;
}

export interface LicensePolicy {
  allowed: Record<string, string>;
  /** `name@version` → the license to assume, with the reason (e.g. a LICENSE file but no field). */
  exceptions: Record<string, { license: string; why: string }>;
}

interface LockEntry {
  version?: string;
  license?: string;
  dev?: boolean;
  optional?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface PackageJson {
  dependencies?: Record<string, string>;
  workspaces?: string[];
}

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

export interface DepsReport {
  problems: string[];
  installed: number;
  /** Installed packages the root `dependencies` pull in: the worker image's runtime. */
  runtime: number;
  /** Installed packages only the workspace packages (the sandbox) pull in. */
  workspaceOnly: number;
  licenses: Record<string, number>;
  advisories: number;
}

/** The package name of a lockfile path: `node_modules/a/node_modules/@s/b` → `@s/b`. */
export function packageName(lockPath: string): string {
  const i = lockPath.lastIndexOf('node_modules/');
  return lockPath.slice(i + 'node_modules/'.length);
}

/**
 * Whether an SPDX expression is allowed: `A OR B` needs one allowed side, `A AND B` both, `A WITH exc`
 * is judged by A. Parentheses nest. Unknown or malformed expressions are not allowed.
 */
export function licenseAllowed(expression: string, allowed: ReadonlySet<string>): boolean {
  const tokens = expression.replace(/[()]/g, ' $& ').trim().split(/\s+/);
  let pos = 0;
  const primary = (): boolean => {
    const t = tokens[pos++];
    if (t === '(') {
      const v = or();
      if (tokens[pos++] !== ')') throw new Error('unbalanced');
      return v;
    }
    if (!t || t === ')' || /^(AND|OR|WITH)$/i.test(t)) throw new Error('malformed');
    if (/^WITH$/i.test(tokens[pos] ?? '')) pos += 2; // an exception only widens the licence
    return allowed.has(t.replace(/\+$/, ''));
  };
  const and = (): boolean => {
    let v = primary();
    while (/^AND$/i.test(tokens[pos] ?? '')) {
      pos++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (/^OR$/i.test(tokens[pos] ?? '')) {
      pos++;
      v = and() || v;
    }
    return v;
  };
  try {
    const v = or();
    return pos === tokens.length && v;
  } catch {
    return false;
  }
}

/** The license an installed package declares: `license`, or the legacy `licenses` array (any of them). */
function declaredLicense(pkg: { license?: unknown; licenses?: unknown }): string | undefined {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license === 'object' && 'type' in pkg.license)
    return String(pkg.license.type);
  if (Array.isArray(pkg.licenses))
    return pkg.licenses
      .map((l: unknown) => (typeof l === 'string' ? l : String((l as { type?: unknown }).type)))
      .join(' OR ');
  return undefined;
}

/**
 * The lockfile path a package at `from` (`''`, `sandbox`, `node_modules/a`) loads `name` from: Node's
 * lookup, nearest `node_modules` first.
 */
function resolveLocked(lock: Lockfile, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i >= 0 ? dir.slice(0, i) : '';
  }
}

/** Lockfile paths reachable from the dependencies of the packages at `from` (links followed). */
function closure(lock: Lockfile, from: readonly { path: string; names: string[] }[]): Set<string> {
  const seen = new Set<string>();
  const queue = from.flatMap(({ path, names }) => names.map((name) => ({ path, name })));
  while (queue.length) {
    const { path, name } = queue.pop()!;
    let target = resolveLocked(lock, path, name);
    if (!target) continue;
    const linked = lock.packages[target]?.link ? lock.packages[target] : undefined;
    if (linked) target = (linked as { resolved?: string }).resolved ?? target;
    if (seen.has(target)) continue;
    seen.add(target);
    const entry = lock.packages[target] ?? {};
    for (const deps of [entry.dependencies, entry.optionalDependencies, entry.peerDependencies])
      for (const dep of Object.keys(deps ?? {})) queue.push({ path: target, name: dep });
  }
  return seen;
}

/** `dependencies` of one package.json pinned exactly, to the version its lockfile entry resolves. */
function checkPins(lock: Lockfile, at: string, manifest: string, deps: Record<string, string>): string[] {
  const problems: string[] = [];
  const lockEntry = lock.packages[at] ?? {};
  for (const [name, spec] of Object.entries(deps)) {
    const path = resolveLocked(lock, at, name);
    const locked = path ? lock.packages[path]?.version : undefined;
    if (!semver.valid(spec))
      problems.push(
        `${manifest}: dependency ${name} is '${spec}', not an exact version (pin it to ${locked ?? 'the locked version'})`,
      );
    else if (spec !== locked)
      problems.push(
        `${manifest}: dependency ${name} is pinned to ${spec} but package-lock.json has ${locked ?? 'nothing'}`,
      );
    if (lockEntry.dependencies?.[name] !== spec)
      problems.push(
        `package-lock.json: its ${at ? `${at} entry` : 'root entry'} lists ${name} as '${lockEntry.dependencies?.[name]}', ${manifest} as '${spec}': run npm install to sync them`,
      );
  }
  return problems;
}

export function checkDeps(root: string, policy: LicensePolicy, advisories: readonly Advisory[]): DepsReport {
  const problems: string[] = [];
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  if (lock.lockfileVersion < 2)
    problems.push(`package-lock.json: lockfileVersion ${lock.lockfileVersion}, need 2 or 3 (npm 7+)`);

  // 1. Exact pins, equal to the lockfile: the root's runtime dependencies and each workspace's.
  problems.push(...checkPins(lock, '', 'package.json', pkg.dependencies ?? {}));
  const workspaces = (pkg.workspaces ?? []).map((ws) => {
    const manifest = `${ws}/package.json`;
    const deps = existsSync(join(root, manifest))
      ? ((JSON.parse(readFileSync(join(root, manifest), 'utf8')) as PackageJson).dependencies ?? {})
      : {};
    if (!existsSync(join(root, manifest))) problems.push(`package.json: workspace ${ws} has no ${manifest}`);
    else if (!lock.packages[ws])
      problems.push(`package-lock.json has no entry for workspace ${ws}: run npm install`);
    else problems.push(...checkPins(lock, ws, manifest, deps));
    return { path: ws, names: Object.keys(deps) };
  });
  const image = closure(lock, [{ path: '', names: Object.keys(pkg.dependencies ?? {}) }]);
  const workspaceDeps = closure(lock, workspaces);

  // 2. Installed tree, licenses, 3. advisories.
  const allowed = new Set(Object.keys(policy.allowed));
  const byPackage = new Map<string, Advisory[]>();
  for (const a of advisories) {
    if (!semver.validRange(a.range))
      problems.push(`advisories.json: ${a.id} has an invalid range '${a.range}'`);
    byPackage.set(a.package, [...(byPackage.get(a.package) ?? []), a]);
  }
  const licenses: Record<string, number> = {};
  let installed = 0;
  let runtime = 0;
  let workspaceOnly = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.link || !path.includes('node_modules/')) continue;
    const name = packageName(path);
    const manifest = join(root, path, 'package.json');
    if (!existsSync(manifest)) {
      if (!entry.optional)
        problems.push(
          `${name}@${entry.version} (${path}) is in package-lock.json but not installed: run npm ci`,
        );
      continue;
    }
    const meta = JSON.parse(readFileSync(manifest, 'utf8')) as {
      version?: string;
      license?: unknown;
      licenses?: unknown;
    };
    installed++;
    if (image.has(path)) runtime++;
    else if (workspaceDeps.has(path)) workspaceOnly++;
    const id = `${name}@${meta.version}`;
    if (meta.version !== entry.version)
      problems.push(
        `${name} (${path}) is installed at ${meta.version} but package-lock.json says ${entry.version}: run npm ci`,
      );
    const license = policy.exceptions[id]?.license ?? declaredLicense(meta);
    if (!license)
      problems.push(
        `${id}: no license declared (add it to scripts/deps/licenses.json exceptions after reading its LICENSE file)`,
      );
    else {
      licenses[license] = (licenses[license] ?? 0) + 1;
      if (!licenseAllowed(license, allowed))
        problems.push(
          `${id}: license '${license}' is not allowed by scripts/deps/licenses.json${entry.dev ? ' (dev dependency)' : ''}`,
        );
    }
    for (const a of byPackage.get(name) ?? [])
      if (meta.version && semver.satisfies(meta.version, a.range, { includePrerelease: true }))
        problems.push(
          `${id} (${path}) is vulnerable: ${a.id} ${a.severity ?? ''} ${a.title ?? ''} (${a.range}) ${a.url ?? ''}`.replace(
            /\s+/g,
            ' ',
          ),
        );
  }
  return { problems, installed, runtime, workspaceOnly, licenses, advisories: advisories.length };
}

/** Advisories of an `npm audit --json` report (npm 7+), in this file's format. */
export function advisoriesFromAudit(report: unknown): Advisory[] {
  const vulns = (report as { vulnerabilities?: Record<string, { via?: unknown[] }> }).vulnerabilities ?? {};
  const out: Advisory[] = [];
  for (const v of Object.values(vulns))
    for (const via of v.via ?? []) {
      if (typeof via !== 'object' || via === null) continue; // a string: "via another vulnerable package"
      const a = via as {
        source?: number;
        name?: string;
        title?: string;
        url?: string;
        severity?: string;
        range?: string;
      };
      if (!a.name || !a.range) continue;
      const id = /GHSA-[\w-]+/.exec(a.url ?? '')?.[0] ?? `npm-${a.source}`;
      out.push({ id, package: a.name, range: a.range, severity: a.severity, title: a.title, url: a.url });
    }
  return out;
}

function main(argv: string[]): number {
  const root = resolve(__dirname, '..');
  const advisoriesPath = join(__dirname, 'deps', 'advisories.json');
  const file = JSON.parse(readFileSync(advisoriesPath, 'utf8')) as {
    advisories: Advisory[];
    updated?: string;
  };
  const importAt = argv.indexOf('--import-audit');
  if (importAt >= 0) {
    const source = argv[importAt + 1];
    if (!source) throw new Error('--import-audit needs the path of an `npm audit --json` report');
    const known = new Set(file.advisories.map((a) => `${a.id} ${a.package}`));
    const added = advisoriesFromAudit(JSON.parse(readFileSync(source, 'utf8'))).filter(
      (a) => !known.has(`${a.id} ${a.package}`),
    );
    file.advisories.push(...added);
    file.updated = new Date().toISOString().slice(0, 10);
    writeFileSync(advisoriesPath, `${JSON.stringify(file, null, 2)}\n`);
    console.log(`check:deps: added ${added.length} advisories to scripts/deps/advisories.json`);
  }
  const policy = JSON.parse(readFileSync(join(__dirname, 'deps', 'licenses.json'), 'utf8')) as LicensePolicy;
  const report = checkDeps(root, policy, file.advisories);
  for (const p of report.problems) console.error(`check:deps: ${p}`);
  const licenses = Object.entries(report.licenses)
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `${l} ${n}`)
    .join(', ');
  console.log(
    `check:deps: ${report.installed} installed packages (${report.runtime} in the worker image, ` +
      `${report.workspaceOnly} only for the sandbox workspace, the rest development); licenses ${licenses}; ` +
      `${report.advisories} known advisories (list of ${file.updated ?? '?'}): ${report.problems.length ? `${report.problems.length} problem(s)` : 'none apply'}`,
  );
  return report.problems.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
