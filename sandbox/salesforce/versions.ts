/** The API versions the sandbox serves, labelled with Salesforce's release names. */

export const MIN_API_VERSION = 37;
export const MAX_API_VERSION = 66;

/** v31 = Summer '14, then Winter, Spring, Summer each step (v59 = Winter '24, v60 = Spring '24). */
export function releaseLabel(major: number): string {
  const n = major - 31;
  const k = Math.floor(n / 3);
  const season = ['Summer', 'Winter', 'Spring'][((n % 3) + 3) % 3]!;
  const year = 14 + k + (season === 'Summer' ? 0 : 1);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function versionList(): { label: string; url: string; version: string }[] {
  const out: { label: string; url: string; version: string }[] = [];
  for (let v = MIN_API_VERSION; v <= MAX_API_VERSION; v++) {
    out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

/** `v60.0` -> `60.0`, or undefined when the version is not served. */
export function parseVersionSegment(segment: string): string | undefined {
  const m = /^v(\d+)\.0$/.exec(segment);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major >= MIN_API_VERSION && major <= MAX_API_VERSION ? `${major}.0` : undefined;
}
