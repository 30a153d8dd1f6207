/**
 * The baseline: what a user would write instead of this project. A plain script, no Temporal, no queue:
 * for a changed Account, read it from Salesforce with jsforce, find its Zendesk organization (by the ID
 * written back earlier, else by name), create or update it with got, and write the new ID back.
 *
 * It is deliberately a *reasonable* script, not a straw man: one SOQL query per record, an exact-name
 * search instead of a full scan, the written-back ID used on later changes, a CDC subscription through
 * jsforce's streaming client (not polling), and a bulk resync that reuses the rows from its own paged
 * query instead of re-reading each record.
 *
 * What it lacks, which is the point of the comparison:
 * - durability: a change that arrives while the script is down, or a crash between the Zendesk create
 *   and the write-back, is lost (the latter leaves an unlinked organization and a duplicate next time);
 * - idempotency: no fingerprint, so an unchanged change still costs a Zendesk write;
 * - retries and rate limiting: got's defaults only (2 retries on idempotent methods), no Retry-After
 *   budget shared across records, no Salesforce REQUEST_LIMIT_EXCEEDED backoff;
 * - ordering and coalescing: changes are processed one at a time in arrival order (no parallelism, no
 *   merging of a burst to one pass);
 * - visibility: failures are a log line, not a queryable failed sync.
 */
import type { Got } from 'got';
import type { Connection } from 'jsforce';

const FIELDS = 'Id, Name, Industry, Segment__c, Zendesk_Organization_Id__c';
/** An update touching only these is the script's own write-back. */
const OWN_OR_AUDIT_FIELDS = new Set([
  'Zendesk_Organization_Id__c',
  'LastModifiedDate',
  'SystemModstamp',
  'LastModifiedById',
]);

export interface AccountRow {
  Id: string;
  Name: string;
  Industry: string | null;
  Segment__c: string | null;
  Zendesk_Organization_Id__c: string | null;
}

export interface BaselineDeps {
  salesforce: Connection;
  /** got with prefixUrl `<zendesk>/api/v2/`, auth and `responseType: 'json'`. */
  zendesk: Got;
}

interface Organization {
  id: number;
  name: string;
}

/** Salesforce IDs are 15 or 18 alphanumerics; anything else never reaches the SOQL string. */
function assertSalesforceId(id: string): string {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)) throw new Error(`not a Salesforce ID: ${id}`);
  return id;
}

function organizationBody(a: AccountRow) {
  return {
    organization: {
      name: a.Name,
      external_id: a.Id,
      organization_fields: { industry: a.Industry },
      tags: a.Segment__c ? [a.Segment__c.toLowerCase().replace(/\s+/g, '_')] : [],
    },
  };
}

export function createBaseline({ salesforce, zendesk }: BaselineDeps) {
  async function readAccount(id: string): Promise<AccountRow | undefined> {
    const res = await salesforce.query<AccountRow>(
      `SELECT ${FIELDS} FROM Account WHERE Id = '${assertSalesforceId(id)}'`,
    );
    return res.records[0];
  }

  async function findByName(name: string): Promise<Organization | undefined> {
    const res = await zendesk.get('organizations/search', { searchParams: { name } }).json();
    return (res as { organizations: Organization[] }).organizations[0];
  }

  /** Create or update the organization for an Account already read; returns the Zendesk ID. */
  async function syncRow(a: AccountRow): Promise<number> {
    if (a.Zendesk_Organization_Id__c) {
      const id = Number(a.Zendesk_Organization_Id__c);
      await zendesk.put(`organizations/${id}`, { json: organizationBody(a) });
      return id;
    }
    const existing = await findByName(a.Name);
    let id: number;
    if (existing) {
      id = existing.id;
      await zendesk.put(`organizations/${id}`, { json: organizationBody(a) });
    } else {
      const res = await zendesk.post('organizations', { json: organizationBody(a) }).json();
      id = (res as { organization: Organization }).organization.id;
    }
    await salesforce.sobject('Account').update({ Id: a.Id, Zendesk_Organization_Id__c: String(id) });
    return id;
  }

  return {
    /** One changed Account, by ID. */
    async syncAccount(id: string): Promise<number | undefined> {
      const a = await readAccount(id);
      return a ? syncRow(a) : undefined;
    },

    /**
     * Every Account (or those matching `where`, a constant written by the caller, never user input),
     * through one paged SOQL query (jsforce follows nextRecordsUrl), one record at a time.
     */
    async resyncAll(where?: string): Promise<number> {
      let done = 0;
      let res = await salesforce.query<AccountRow>(
        `SELECT ${FIELDS} FROM Account${where ? ` WHERE ${where}` : ''} ORDER BY Id`,
      );
      for (;;) {
        for (const a of res.records) {
          await syncRow(a);
          done += 1;
        }
        if (res.done || !res.nextRecordsUrl) return done;
        res = await salesforce.queryMore<AccountRow>(res.nextRecordsUrl);
      }
    },

    /**
     * Listens to Account Change Data Capture and syncs each changed record in arrival order. Changes the
     * script itself caused (its write-back) are skipped by their changed fields, as a careful user would.
     */
    async listen(opts: { onSynced?: (id: string) => void; onError?: (err: unknown) => void } = {}) {
      const queue: string[] = [];
      let draining = false;
      let closed = false;
      const drain = async () => {
        if (draining) return;
        draining = true;
        while (queue.length > 0 && !closed) {
          const id = queue.shift()!;
          try {
            await this.syncAccount(id);
            opts.onSynced?.(id);
          } catch (err) {
            opts.onError?.(err);
          }
        }
        draining = false;
      };
      const client = salesforce.streaming.createClient([]) as unknown as {
        subscribe(ch: string, cb: (data: unknown) => void): PromiseLike<void>;
        disconnect(): void;
      };
      await client.subscribe('/data/AccountChangeEvent', (data) => {
        const header = (
          data as {
            payload?: {
              ChangeEventHeader?: { recordIds?: string[]; changeType?: string; changedFields?: string[] };
            };
          }
        ).payload?.ChangeEventHeader;
        if (!header || header.changeType === 'DELETE') return;
        const fields = header.changedFields ?? [];
        if (fields.length > 0 && fields.every((f) => OWN_OR_AUDIT_FIELDS.has(f))) return;
        queue.push(...(header.recordIds ?? []));
        void drain();
      });
      return {
        close() {
          closed = true;
          client.disconnect();
        },
      };
    },
  };
}

export type Baseline = ReturnType<typeof createBaseline>;
