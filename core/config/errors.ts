/** One problem found in the sync configuration: `path` is the dotted config path (e.g. `accounts.filters.all[0].value`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * Thrown when SYNC_CONFIG is invalid. Carries every issue found (not just the first) so an admin can fix
 * the whole file in one pass; the message lists them one per line.
 */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG' as const;
  readonly issues: ConfigIssue[];

  /** `cause`: what failed underneath, e.g. the file read or the YAML parser (the issues say it for people). */
  constructor({ issues, cause }: { issues: ConfigIssue[]; cause?: unknown }) {
    super(
      `Invalid sync configuration (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${formatIssues(issues)}`,
      cause !== undefined ? { cause } : undefined,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function formatIssues(issues: ConfigIssue[]): string {
  return issues.map((i) => `- ${i.path || '(root)'}: ${i.message}`).join('\n');
}

/** Renders a zod-style path (`['accounts', 'filters', 'all', 0]`) as `accounts.filters.all[0]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
