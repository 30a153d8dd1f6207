/**
 * Access tokens the sandbox has issued. Tokens look like Salesforce session ids (`<orgId>!<secret>`);
 * tests can expire them all at once to exercise a client's session refresh.
 */
import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  token: string;
  grantType: string;
  issuedAt: number;
  /** Epoch ms after which the token is rejected; undefined = until expired explicitly. */
  expiresAt: number | undefined;
  expired: boolean;
}

export interface TokenValidator {
  validateToken(token: string): boolean;
}

export class TokenRegistry implements TokenValidator {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly orgId: string,
    /** Session lifetime in ms; undefined keeps sessions valid until expireAll(). */
    private readonly ttlMs?: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(grantType: string): IssuedToken {
    const issuedAt = this.now();
    const token = `${this.orgId.slice(0, 15)}!AR${randomBytes(48).toString('base64url')}`;
    const entry: IssuedToken = {
      token,
      grantType,
      issuedAt,
      expiresAt: this.ttlMs === undefined ? undefined : issuedAt + this.ttlMs,
      expired: false,
    };
    this.tokens.set(token, entry);
    return entry;
  }

  validateToken(token: string): boolean {
    const entry = this.tokens.get(token);
    if (!entry || entry.expired) return false;
    return entry.expiresAt === undefined || this.now() < entry.expiresAt;
  }

  /** Ends every session issued so far (as a password reset or session timeout would). */
  expireAll(): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (!t.expired) n += 1;
      t.expired = true;
    }
    return n;
  }

  revoke(token: string): boolean {
    const entry = this.tokens.get(token);
    if (!entry) return false;
    entry.expired = true;
    return true;
  }

  get size(): number {
    return this.tokens.size;
  }
}

/** Reads the bearer token from `Authorization: Bearer x` (or `OAuth x`, which older clients send). */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
