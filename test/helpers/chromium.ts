/**
 * The Chromium that the browser tests drive, from the npm registry only: the package @sparticuz/chromium
 * (a devDependency, pinned) ships chrome-headless-shell brotli-compressed inside its tarball, together
 * with the only shared libraries it links beyond glibc (NSS, NSPR, expat) and a font. `npm install`
 * (scripts/setup-test-tools.ts) unpacks them into .tools/chromium/<version>/; the tests launch that
 * binary with LD_LIBRARY_PATH on the bundled libraries, so they never use a system Chromium and a
 * machine needs nothing installed for them.
 *
 * Version 143.0.4 is the last release whose package supports Node 20 (later ones declare Node ≥ 22).
 * Package layout and flags: https://github.com/Sparticuz/chromium#readme
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { PROJECT_ROOT } from '../../client/temporal-cli';

export const CHROMIUM_PACKAGE_DIR = join(PROJECT_ROOT, 'node_modules', '@sparticuz', 'chromium');
export const CHROMIUM_TOOLS_DIR = join(PROJECT_ROOT, '.tools', 'chromium');

export interface UnpackedChromium {
  executablePath: string;
  /** What the binary reports, e.g. `Chromium 143.0.7499.0`. */
  version: string;
  /** Added to the browser's environment: the bundled libraries and fonts. */
  env: Record<string, string>;
}

export class ChromiumUnavailableError extends Error {
  override readonly name = 'ChromiumUnavailableError';
  readonly code = 'CHROMIUM_UNAVAILABLE';
  constructor(detail: string) {
    super(
      `The tests' Chromium is unavailable (${detail}). It comes from the npm package @sparticuz/chromium ` +
        `(x64 Linux): run 'npm install', then 'npm run setup:test-tools'.`,
    );
  }
}

// Fonts found relative to this file, so the folder can move with the checkout.
const FONTS_CONF = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir prefix="relative">fonts</dir>
  <cachedir prefix="relative">fonts-cache</cachedir>
</fontconfig>
`;

function packageVersion(): string {
  const manifest = join(CHROMIUM_PACKAGE_DIR, 'package.json');
  if (!existsSync(manifest)) throw new ChromiumUnavailableError(`${manifest} is missing`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function unbrotli(from: string, to: string, mode = 0o644): Promise<void> {
  await pipeline(createReadStream(from), createBrotliDecompress(), createWriteStream(to, { mode }));
}

async function untarBrotli(from: string, intoDir: string): Promise<void> {
  const tar = join(intoDir, 'unpack.tar');
  await unbrotli(from, tar);
  const result = spawnSync('tar', ['-xf', tar, '-C', intoDir, '--no-same-owner'], { encoding: 'utf8' });
  rmSync(tar);
  if (result.status !== 0)
    throw new ChromiumUnavailableError(`tar failed on ${from}: ${result.stderr || result.error}`);
}

/** Into a folder of its own first, renamed when complete: an interrupted unpack leaves no half binary. */
async function unpack(version: string, dir: string): Promise<void> {
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const bin = join(CHROMIUM_PACKAGE_DIR, 'bin');
    await unbrotli(join(bin, 'chromium.br'), join(staging, 'chromium'), 0o755);
    await untarBrotli(join(bin, 'al2023.tar.br'), staging); // lib/: libnss3, libnspr4, libexpat, …
    await untarBrotli(join(bin, 'fonts.tar.br'), staging); // fonts/ (and a fonts.conf for Lambda's paths)
    writeFileSync(join(staging, 'fonts.conf'), FONTS_CONF);
    writeFileSync(join(staging, 'VERSION'), `@sparticuz/chromium@${version}\n`);
    if (existsSync(dir)) rmSync(staging, { recursive: true, force: true });
    else renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

function check(dir: string): UnpackedChromium {
  const executablePath = join(dir, 'chromium');
  const env = {
    LD_LIBRARY_PATH: [join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    FONTCONFIG_PATH: dir,
  };
  const result = spawnSync(executablePath, ['--version'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new ChromiumUnavailableError(
      `${executablePath} --version failed: ${(result.stderr || String(result.error)).trim().split('\n').slice(-2).join(' ')}`,
    );
  return { executablePath, version: result.stdout.trim(), env };
}

let unpacked: Promise<UnpackedChromium> | undefined;

/** Unpacks the pinned package's Chromium unless already there, and checks that it starts. */
export function ensureChromium(): Promise<UnpackedChromium> {
  unpacked ??= (async () => {
    const version = packageVersion();
    const dir = join(CHROMIUM_TOOLS_DIR, version);
    if (!existsSync(join(dir, 'VERSION'))) await unpack(version, dir);
    return check(dir);
  })();
  return unpacked;
}
