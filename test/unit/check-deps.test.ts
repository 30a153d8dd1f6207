/**
 * scripts/check-deps.ts (`npm run check:deps`, first step of `npm test`): each rule fails on a tree
 * built to break it, and the project's own tree passes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  advisoriesFromAudit,
  checkDeps,
  licenseAllowed,
  packageName,
  type Advisory,
  type LicensePolicy,
} from '../../scripts/check-deps';

const ROOT = join(__dirname, '..', '..');
const POLICY: LicensePolicy = {
  allowed: { MIT: '', 'Apache-2.0': '', CC0: '' },
  exceptions: { 'nolicense-ok@1.0.0': { license: 'MIT', why: 'LICENSE file' } },
};

/** A project dir with package.json, package-lock.json and the installed node_modules given. */
function tree(opts: {
  dependencies: Record<string, string>;
  lockRoot?: Record<string, string>;
  locked: Record<string, { version: string; optional?: boolean; dev?: boolean }>;
  installed: Record<string, { version: string; license?: unknown; licenses?: unknown }>;
}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfzd-deps-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', dependencies: opts.dependencies }));
  const packages: Record<string, unknown> = { '': { dependencies: opts.lockRoot ?? opts.dependencies } };
  for (const [path, e] of Object.entries(opts.locked)) packages[path] = e;
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
  for (const [path, meta] of Object.entries(opts.installed)) {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'package.json'), JSON.stringify({ name: packageName(path), ...meta }));
  }
  return dir;
}

describe('check:deps (licenses, pins, known advisories)', () => {
  it('evaluates SPDX expressions', () => {
    const allowed = new Set(['MIT', 'Apache-2.0', 'CC0-1.0']);
    for (const ok of [
      'MIT',
      '(MIT OR GPL-3.0)',
      'Apache-2.0 AND MIT',
      '(MIT OR CC0-1.0)',
      'Apache-2.0 WITH LLVM-exception',
    ])
      assert.ok(licenseAllowed(ok, allowed), ok);
    for (const bad of [
      'GPL-3.0',
      'MIT AND GPL-2.0',
      '(GPL-2.0 OR LGPL-3.0)',
      'SEE LICENSE IN LICENSE',
      '(MIT',
      'MIT OR',
      '',
    ])
      assert.ok(!licenseAllowed(bad, allowed), bad);
  });

  it('names the package and the rule for every problem', () => {
    const advisories: Advisory[] = [
      { id: 'GHSA-test', package: 'vuln', range: '<1.2.0', severity: 'high', title: 'bad' },
    ];
    const dir = tree({
      dependencies: { ranged: '^1.0.0', pinned: '2.0.0', drift: '1.0.0' },
      lockRoot: { ranged: '^1.0.0', pinned: '2.0.0', drift: '0.9.0' },
      locked: {
        'node_modules/ranged': { version: '1.5.0' },
        'node_modules/pinned': { version: '2.0.0' },
        'node_modules/drift': { version: '1.0.0' },
        'node_modules/gpl': { version: '1.0.0', dev: true },
        'node_modules/pinned/node_modules/vuln': { version: '1.1.9' },
        'node_modules/missing': { version: '1.0.0' },
        'node_modules/platform-only': { version: '1.0.0', optional: true },
        'node_modules/nolicense': { version: '1.0.0' },
        'node_modules/nolicense-ok': { version: '1.0.0' },
        'node_modules/legacy': { version: '1.0.0' },
        'node_modules/@scope/old': { version: '3.0.0' },
      },
      installed: {
        'node_modules/ranged': { version: '1.5.0', license: 'MIT' },
        'node_modules/pinned': { version: '2.0.0', license: 'Apache-2.0' },
        'node_modules/drift': { version: '1.0.1', license: 'MIT' },
        'node_modules/gpl': { version: '1.0.0', license: 'GPL-3.0-only' },
        'node_modules/pinned/node_modules/vuln': { version: '1.1.9', license: 'MIT' },
        'node_modules/nolicense': { version: '1.0.0' },
        'node_modules/nolicense-ok': { version: '1.0.0' },
        'node_modules/legacy': { version: '1.0.0', licenses: [{ type: 'MIT' }] },
        'node_modules/@scope/old': { version: '3.0.0', license: { type: 'MIT' } },
      },
    });
    const { problems, installed } = checkDeps(dir, POLICY, advisories);
    const expected = [
      /dependency ranged is '\^1\.0\.0', not an exact version \(pin it to 1\.5\.0\)/,
      /root entry lists drift as '0\.9\.0', package\.json as '1\.0\.0'/,
      /drift \(node_modules\/drift\) is installed at 1\.0\.1 but package-lock\.json says 1\.0\.0: run npm ci/,
      /gpl@1\.0\.0: license 'GPL-3\.0-only' is not allowed .* \(dev dependency\)/,
      /vuln@1\.1\.9 \(node_modules\/pinned\/node_modules\/vuln\) is vulnerable: GHSA-test high bad \(<1\.2\.0\)/,
      /missing@1\.0\.0 \(node_modules\/missing\) is in package-lock\.json but not installed: run npm ci/,
      /nolicense@1\.0\.0: no license declared/,
    ];
    for (const re of expected)
      assert.ok(
        problems.some((p) => re.test(p)),
        `${re}\n${problems.join('\n')}`,
      );
    assert.equal(problems.length, expected.length, problems.join('\n'));
    assert.equal(installed, 9, 'the optional platform package may be absent');
  });

  it("checks a workspace package's pins and counts what only it pulls in apart from the image's runtime", () => {
    const dir = tree({
      dependencies: { app: '1.0.0' },
      locked: {
        'node_modules/app': { version: '1.0.0' },
        'node_modules/shared': { version: '2.0.0' },
        'node_modules/server': { version: '3.0.0' },
        'node_modules/server-dep': { version: '1.0.0' },
        'node_modules/tool': { version: '1.0.0', dev: true },
      },
      installed: {
        'node_modules/app': { version: '1.0.0', license: 'MIT' },
        'node_modules/shared': { version: '2.0.0', license: 'MIT' },
        'node_modules/server': { version: '3.0.0', license: 'MIT' },
        'node_modules/server-dep': { version: '1.0.0', license: 'MIT' },
        'node_modules/tool': { version: '1.0.0', license: 'MIT' },
      },
    });
    const lockPath = join(dir, 'package-lock.json');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, object> };
    lock.packages['node_modules/app'] = { version: '1.0.0', dependencies: { shared: '^2.0.0' } };
    lock.packages['node_modules/server'] = { version: '3.0.0', dependencies: { 'server-dep': '^1.0.0' } };
    lock.packages['node_modules/@x/sandbox'] = { resolved: 'sandbox', link: true };
    lock.packages.sandbox = { name: '@x/sandbox', dependencies: { server: '^3.0.0', shared: '2.0.0' } };
    writeFileSync(lockPath, JSON.stringify(lock));
    const pkgPath = join(dir, 'package.json');
    writeFileSync(
      pkgPath,
      JSON.stringify({ ...JSON.parse(readFileSync(pkgPath, 'utf8')), workspaces: ['sandbox'] }),
    );
    mkdirSync(join(dir, 'sandbox'));
    writeFileSync(
      join(dir, 'sandbox', 'package.json'),
      JSON.stringify({ name: '@x/sandbox', dependencies: { server: '^3.0.0', shared: '2.0.0' } }),
    );
    const report = checkDeps(dir, POLICY, []);
    assert.deepEqual(report.problems, [
      "sandbox/package.json: dependency server is '^3.0.0', not an exact version (pin it to 3.0.0)",
    ]);
    assert.equal(report.installed, 5);
    assert.equal(report.runtime, 2, 'app and the shared package it needs');
    assert.equal(report.workspaceOnly, 2, 'server and its dependency');
  });

  it('reads advisories from an npm audit --json report', () => {
    const report = {
      vulnerabilities: {
        qs: {
          via: [
            {
              source: 1,
              name: 'qs',
              title: 'DoS',
              url: 'https://github.com/advisories/GHSA-6rw7-vpxm-498p',
              severity: 'high',
              range: '<6.14.1',
            },
          ],
        },
        express: { via: ['qs'] },
      },
    };
    assert.deepEqual(advisoriesFromAudit(report), [
      {
        id: 'GHSA-6rw7-vpxm-498p',
        package: 'qs',
        range: '<6.14.1',
        severity: 'high',
        title: 'DoS',
        url: 'https://github.com/advisories/GHSA-6rw7-vpxm-498p',
      },
    ]);
  });

  it("the project's own tree passes: runtime pins exact and locked, licenses allowed, no known advisory applies", () => {
    const policy = JSON.parse(
      readFileSync(join(ROOT, 'scripts/deps/licenses.json'), 'utf8'),
    ) as LicensePolicy;
    const { advisories } = JSON.parse(readFileSync(join(ROOT, 'scripts/deps/advisories.json'), 'utf8')) as {
      advisories: Advisory[];
    };
    const report = checkDeps(ROOT, policy, advisories);
    assert.deepEqual(report.problems, []);
    assert.ok(report.installed > 300 && report.runtime > 200, JSON.stringify(report));
    assert.ok(report.workspaceOnly > 20, `the sandbox's express tree is apart: ${JSON.stringify(report)}`);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const [name, spec] of Object.entries(pkg.dependencies)) assert.match(spec, /^\d+\.\d+\.\d+$/, name);
  });
});
