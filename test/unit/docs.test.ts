/**
 * The documentation's shape: README stays an entry point, docs/README.md indexes every page, and every
 * relative link in README.md and docs/*.md reaches an existing file (and, into a Markdown file, an
 * existing heading, by GitHub's anchor rules).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const DOCS = join(ROOT, 'docs');
const README_MAX_LINES = 160;

/** README.md and every Markdown page of docs/. */
function documentationFiles(): string[] {
  const pages = readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(DOCS, f));
  return [join(ROOT, 'README.md'), ...pages];
}

/** The text outside fenced code blocks and inline code, where Markdown links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** `[text](target)` links, without external ones (scheme) and with their #anchor split off. */
function relativeLinks(markdown: string): Array<{ path: string; anchor?: string }> {
  const links: Array<{ path: string; anchor?: string }> = [];
  for (const m of prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    links.push({ path, ...(anchor !== undefined ? { anchor } : {}) });
  }
  return links;
}

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces to hyphens, -N for repeats. */
function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const m of withoutCode.matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe('documentation', () => {
  it(`README.md is an entry point of at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines`);
  });

  it('docs/README.md links every page in docs/', () => {
    const index = readFileSync(join(DOCS, 'README.md'), 'utf8');
    const linked = new Set(relativeLinks(index).map((l) => resolve(DOCS, l.path)));
    const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'README.md');
    assert.ok(pages.length >= 9, pages.join(', '));
    const missing = pages.filter((p) => !linked.has(join(DOCS, p)));
    assert.deepEqual(missing, [], 'pages not linked from docs/README.md');
  });

  it('README.md links the documentation index', () => {
    const links = relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    assert.ok(links.some((l) => resolve(ROOT, l.path) === join(DOCS, 'README.md')));
  });

  it('every relative link in README.md and docs/ reaches a file, and a heading when it names one', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of documentationFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const link of relativeLinks(text)) {
        checked++;
        const where = `${relative(ROOT, file)} → ${link.path}${link.anchor !== undefined ? `#${link.anchor}` : ''}`;
        const target = link.path === '' ? file : resolve(dirname(file), link.path);
        if (!existsSync(target)) {
          broken.push(`${where}: no such file`);
          continue;
        }
        if (link.anchor === undefined || !target.endsWith('.md') || statSync(target).isDirectory()) continue;
        if (!headingAnchors(readFileSync(target, 'utf8')).has(link.anchor))
          broken.push(`${where}: no such heading`);
      }
    }
    assert.ok(checked > 50, `only ${checked} links found: is the link pattern still right?`);
    assert.deepEqual(broken, []);
  });

  it('computes anchors and finds links as GitHub does', () => {
    const anchors = headingAnchors(
      '# A\n## The sync configuration (`sync.config.yaml`)\n### `onDelete`: deletes, undeletes\n## A\n```\n# not a heading\n```\n',
    );
    assert.deepEqual(
      [...anchors],
      ['a', 'the-sync-configuration-syncconfigyaml', 'ondelete-deletes-undeletes', 'a-1'],
    );
    assert.deepEqual(relativeLinks('[x](a.md#b) [y](https://e.com) `[z](c.md)` [w](#top)'), [
      { path: 'a.md', anchor: 'b' },
      { path: '', anchor: 'top' },
    ]);
  });
});
