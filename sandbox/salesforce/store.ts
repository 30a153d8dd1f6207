/**
 * The sandbox org's records. Every committed write maintains the audit fields and publishes one
 * RecordChange per record to the ChangeSink (the CDC feed), with the transaction key and sequence numbers
 * Salesforce would use. Deleted records stay in the table with IsDeleted = true (the recycle bin), so
 * queryAll can still see them.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeSink, RecordChange } from './change-events';
import { entityIsDeleted, notFound, SalesforceApiError } from './errors';
import { formatDateTime, prepareWrite, type ReferenceResolver } from './field-values';
import { makeId, normalizeId } from './ids';
import { findField, SOBJECT_NAMES, SOBJECTS, type SObjectName } from './schema';

export type StoredRecord = Record<string, unknown>;

/** Who wrote: decides the CDC changeOrigin. */
export interface WriteOrigin {
  /** e.g. `com/salesforce/api/rest/60.0;client=sync`; '' for writes not made through the API (seeding). */
  changeOrigin: string;
  /** Seed loads can skip CDC, like data that predates the subscription's retention window. */
  publish?: boolean;
}

/** One API call's writes: a shared transaction key and increasing sequence numbers. */
export class WriteTransaction {
  readonly key = randomUUID();
  private seq = 0;
  constructor(readonly origin: WriteOrigin) {}
  nextSequence(): number {
    this.seq += 1;
    return this.seq;
  }
}

export interface StoreSnapshot {
  version: 1;
  counter: number;
  tables: Record<string, StoredRecord[]>;
}

export interface RecordStoreOptions {
  userId: string;
  sink?: ChangeSink;
  now?: () => number;
}

/** Fields left out of CDC bodies: the id travels in the header; formulas and IsDeleted are not captured. */
const NOT_IN_EVENTS = new Set(['Id', 'IsDeleted']);
/** Contact and Lead names are compound: CDC nests FirstName/LastName under Name. */
const NAME_PARTS = new Set(['FirstName', 'LastName']);

export class RecordStore implements ReferenceResolver {
  readonly userId: string;
  private sink: ChangeSink;
  private readonly now: () => number;
  private counter = 0;
  private tables = new Map<SObjectName, Map<string, StoredRecord>>();
  /** `Object.Field` -> lower-cased value -> record id, for fields marked unique. */
  private readonly uniqueIndex = new Map<string, Map<string, string>>();
  private readonly writeListeners: (() => void)[] = [];
  /** Changes held back until a transaction commits (so allOrNone rollbacks publish nothing). */
  private pending: RecordChange[] | undefined;
  private undo: (() => void)[] | undefined;

  constructor(opts: RecordStoreOptions) {
    this.userId = opts.userId;
    this.sink = opts.sink ?? { publish: () => undefined };
    this.now = opts.now ?? Date.now;
    this.reset();
  }

  setSink(sink: ChangeSink): void {
    this.sink = sink;
  }

  /** Called after every committed write (used to schedule snapshot saves). */
  onWrite(listener: () => void): void {
    this.writeListeners.push(listener);
  }

  reset(): void {
    this.tables = new Map(SOBJECT_NAMES.map((n) => [n, new Map<string, StoredRecord>()]));
    this.uniqueIndex.clear();
    this.counter = 0;
    this.notifyWrite();
  }

  count(objectName: SObjectName, includeDeleted = false): number {
    let n = 0;
    for (const r of this.table(objectName).values()) if (includeDeleted || r.IsDeleted !== true) n += 1;
    return n;
  }

  /** Ids of live records whose `field` equals `value` (text compared case-insensitively), for upserts. */
  findByField(objectName: SObjectName, fieldName: string, value: string): string[] {
    const field = findField(objectName, fieldName);
    if (!field) return [];
    if (field.name === 'Id') {
      const id = normalizeId(value);
      return id !== undefined && this.exists(objectName, id) ? [id] : [];
    }
    if (field.unique) {
      const holder = this.indexFor(objectName, field.name).get(uniqueKey(value));
      return holder === undefined ? [] : [holder];
    }
    const wanted = value.toLowerCase();
    const out: string[] = [];
    for (const r of this.table(objectName).values()) {
      const v = r[field.name];
      if (r.IsDeleted !== true && typeof v === 'string' && v.toLowerCase() === wanted) out.push(String(r.Id));
    }
    return out;
  }

  exists(objectName: SObjectName, id18: string): boolean {
    const r = this.table(objectName).get(id18);
    return r !== undefined && r.IsDeleted !== true;
  }

  /** A record as the API returns it: all fields, formulas computed. Throws NOT_FOUND / ENTITY_IS_DELETED. */
  read(objectName: SObjectName, id: string): StoredRecord {
    const id18 = normalizeId(id);
    const stored = id18 === undefined ? undefined : this.table(objectName).get(id18);
    if (!stored) throw notFound();
    if (stored.IsDeleted === true) throw entityIsDeleted();
    return this.view(objectName, stored);
  }

  /** Every record of a type, formulas computed (the SOQL data source). */
  *records(objectName: SObjectName, includeDeleted = false): Iterable<StoredRecord> {
    for (const r of this.table(objectName).values()) {
      if (includeDeleted || r.IsDeleted !== true) yield this.view(objectName, r);
    }
  }

  /**
   * The records with these Ids (15 or 18 characters; others are skipped), formulas computed, in creation
   * order like `records` (generated Ids sort in creation order).
   */
  recordsWithIds(objectName: SObjectName, ids: string[], includeDeleted = false): StoredRecord[] {
    const table = this.table(objectName);
    const found = new Map<string, StoredRecord>();
    for (const id of ids) {
      const id18 = normalizeId(id);
      const r = id18 === undefined ? undefined : table.get(id18);
      if (r && (includeDeleted || r.IsDeleted !== true)) found.set(id18!, r);
    }
    return [...found.keys()].sort().map((id) => this.view(objectName, found.get(id)!));
  }

  /** The raw stored rows (for the control API and tests). */
  dump(objectName: SObjectName): StoredRecord[] {
    return [...this.table(objectName).values()].map((r) => ({ ...r }));
  }

  // ---- writes -----------------------------------------------------------------------------------

  create(objectName: SObjectName, body: unknown, tx: WriteTransaction): string {
    return this.inTransaction(() => this.createOne(objectName, body, tx));
  }

  update(objectName: SObjectName, id: string, body: unknown, tx: WriteTransaction): void {
    this.inTransaction(() => this.updateOne(objectName, id, body, tx));
  }

  delete(objectName: SObjectName, id: string, tx: WriteTransaction): void {
    this.inTransaction(() => this.deleteOne(objectName, id, tx));
  }

  /**
   * Runs several writes as one API call. Each op either returns a value or throws a SalesforceApiError,
   * which becomes that record's error. With allOrNone, any failure undoes every write and publishes nothing.
   */
  batch<T>(
    ops: (() => T)[],
    allOrNone: boolean,
  ): ({ ok: true; value: T } | { ok: false; error: SalesforceApiError })[] {
    const results: ({ ok: true; value: T } | { ok: false; error: SalesforceApiError })[] = [];
    this.inTransaction(() => {
      for (const op of ops) {
        try {
          results.push({ ok: true, value: op() });
        } catch (err) {
          if (!(err instanceof SalesforceApiError)) throw err;
          results.push({ ok: false, error: err });
        }
      }
      if (allOrNone && results.some((r) => !r.ok)) throw new RollBack();
    });
    return results;
  }

  /**
   * Runs `fn` as one transaction: its writes commit and publish together, or, when it throws, are all
   * undone and publish nothing. Inside an open transaction it is a savepoint.
   */
  transaction<T>(fn: () => T): T {
    return this.inTransaction(fn);
  }

  /**
   * Adds seed data: validated like an API insert, but with the given audit dates (seed records look old).
   */
  insertSeed(
    objectName: SObjectName,
    body: StoredRecord,
    dates: { CreatedDate: string; LastModifiedDate: string },
    tx: WriteTransaction,
  ): string {
    return this.inTransaction(() => {
      const values = prepareWrite(objectName, body, 'insert', this);
      this.checkUnique(objectName, values, undefined);
      return this.insertRecord(
        objectName,
        { ...values, ...dates, SystemModstamp: dates.LastModifiedDate },
        tx,
      );
    });
  }

  // ---- snapshot ---------------------------------------------------------------------------------

  exportSnapshot(): StoreSnapshot {
    const tables: Record<string, StoredRecord[]> = {};
    for (const n of SOBJECT_NAMES) tables[n] = this.dump(n);
    return { version: 1, counter: this.counter, tables };
  }

  importSnapshot(snapshot: StoreSnapshot): void {
    this.reset();
    for (const n of SOBJECT_NAMES) {
      for (const r of snapshot.tables[n] ?? []) this.setRow(n, String(r.Id), r);
    }
    this.counter = snapshot.counter;
  }

  // ---- internals --------------------------------------------------------------------------------

  private table(objectName: SObjectName): Map<string, StoredRecord> {
    return this.tables.get(objectName)!;
  }

  private view(objectName: SObjectName, stored: StoredRecord): StoredRecord {
    const out: StoredRecord = {};
    for (const f of SOBJECTS[objectName].fields) {
      out[f.name] = f.formula ? f.formula.compute(stored) : (stored[f.name] ?? null);
    }
    return out;
  }

  private notifyWrite(): void {
    for (const l of this.writeListeners) l();
  }

  /**
   * Buffers changes and an undo log while `fn` runs. On success the changes are published in order; on a
   * thrown error (or RollBack) the writes are undone and nothing is published.
   */
  private inTransaction<T>(fn: () => T): T {
    if (this.pending) return this.savepoint(fn);
    this.pending = [];
    this.undo = [];
    let committed = false;
    try {
      const value = fn();
      committed = true;
      return value;
    } catch (err) {
      this.rollback();
      if (err instanceof RollBack) return undefined as T;
      throw err;
    } finally {
      const changes = committed ? this.pending : [];
      this.pending = undefined;
      this.undo = undefined;
      for (const c of changes) this.sink.publish(c);
      if (changes.length > 0) this.notifyWrite();
    }
  }

  private rollback(): void {
    const undo = this.undo ?? [];
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
    this.pending = [];
  }

  /**
   * A write inside an open transaction (a composite subrequest, one record of a batch): when it fails, only
   * its own writes and changes are undone, and the error goes on to the caller; the transaction stays open.
   */
  private savepoint<T>(fn: () => T): T {
    const undo = this.undo!;
    const pending = this.pending!;
    const undoMark = undo.length;
    const pendingMark = pending.length;
    try {
      return fn();
    } catch (err) {
      for (let i = undo.length - 1; i >= undoMark; i--) undo[i]!();
      undo.length = undoMark;
      pending.length = pendingMark;
      if (err instanceof RollBack) return undefined as T;
      throw err;
    }
  }

  private put(objectName: SObjectName, id: string, next: StoredRecord): void {
    const prev = this.table(objectName).get(id);
    this.setRow(objectName, id, next);
    this.undo?.push(() => this.setRow(objectName, id, prev));
  }

  /** Writes (or removes) a row and keeps the unique-field index in step; deleted rows hold no keys. */
  private setRow(objectName: SObjectName, id: string, next: StoredRecord | undefined): void {
    const table = this.table(objectName);
    const prev = table.get(id);
    for (const f of SOBJECTS[objectName].fields) {
      if (!f.unique) continue;
      const index = this.indexFor(objectName, f.name);
      const oldValue = prev && prev.IsDeleted !== true ? prev[f.name] : null;
      const newValue = next && next.IsDeleted !== true ? next[f.name] : null;
      if (oldValue !== null && oldValue !== undefined && index.get(uniqueKey(oldValue)) === id)
        index.delete(uniqueKey(oldValue));
      if (newValue !== null && newValue !== undefined) index.set(uniqueKey(newValue), id);
    }
    if (next) table.set(id, next);
    else table.delete(id);
  }

  private indexFor(objectName: SObjectName, field: string): Map<string, string> {
    const key = `${objectName}.${field}`;
    let index = this.uniqueIndex.get(key);
    if (!index) {
      index = new Map();
      this.uniqueIndex.set(key, index);
    }
    return index;
  }

  private emit(change: Omit<RecordChange, 'transactionKey' | 'sequenceNumber'>, tx: WriteTransaction): void {
    if (tx.origin.publish === false) return;
    this.pending?.push({ ...change, transactionKey: tx.key, sequenceNumber: tx.nextSequence() });
  }

  private createOne(objectName: SObjectName, body: unknown, tx: WriteTransaction): string {
    const values = prepareWrite(objectName, body, 'insert', this);
    this.checkUnique(objectName, values, undefined);
    return this.insertRecord(objectName, values, tx);
  }

  private insertRecord(objectName: SObjectName, values: StoredRecord, tx: WriteTransaction): string {
    const def = SOBJECTS[objectName];
    const nowText = formatDateTime(this.now());
    this.counter += 1;
    const id = typeof values.Id === 'string' ? values.Id : makeId(def.keyPrefix, this.counter);
    const record: StoredRecord = { ...INSERT_DEFAULTS[objectName] };
    for (const [k, v] of Object.entries(values)) if (v !== undefined) record[k] = v;
    Object.assign(record, {
      Id: id,
      IsDeleted: false,
      OwnerId: values.OwnerId ?? this.userId,
      CreatedById: values.CreatedById ?? this.userId,
      LastModifiedById: values.LastModifiedById ?? this.userId,
      CreatedDate: values.CreatedDate ?? nowText,
      LastModifiedDate: values.LastModifiedDate ?? nowText,
      SystemModstamp: values.SystemModstamp ?? nowText,
    });
    applyCompoundName(objectName, record);
    this.put(objectName, id, record);
    if (tx.origin.publish === false) return id;
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) if (v !== null && !NOT_IN_EVENTS.has(k)) fields[k] = v;
    this.emit(
      {
        entityName: objectName,
        changeType: 'CREATE',
        recordIds: [id],
        changedFields: [],
        fields: nestCompoundName(objectName, fields),
        changeOrigin: tx.origin.changeOrigin,
        commitTimestamp: Date.parse(String(record.CreatedDate).replace('+0000', 'Z')),
      },
      tx,
    );
    return id;
  }

  private existing(objectName: SObjectName, id: string): { id18: string; record: StoredRecord } {
    const id18 = normalizeId(id);
    if (id18 === undefined || !id18.startsWith(SOBJECTS[objectName].keyPrefix)) {
      throw new SalesforceApiError(
        400,
        'MALFORMED_ID',
        `${objectName} ID: id value of incorrect type: ${id}`,
        ['Id'],
      );
    }
    const record = this.table(objectName).get(id18);
    if (!record) throw notFound();
    if (record.IsDeleted === true) throw entityIsDeleted();
    return { id18, record };
  }

  private updateOne(objectName: SObjectName, id: string, body: unknown, tx: WriteTransaction): string {
    const { id18, record } = this.existing(objectName, id);
    const values = prepareWrite(objectName, body, 'update', this, { recordId: id18 });
    this.checkUnique(objectName, values, id18);
    const next: StoredRecord = { ...record, ...values };
    applyCompoundName(objectName, next);
    const changed = Object.keys(values).filter((k) => !sameValue(record[k], next[k]));
    // Salesforce bumps the modstamps on every successful update, even one that changes nothing.
    const nowMs = this.now();
    next.LastModifiedDate = formatDateTime(nowMs);
    next.SystemModstamp = next.LastModifiedDate;
    next.LastModifiedById = this.userId;
    this.put(objectName, id18, next);
    const fields: Record<string, unknown> = {};
    for (const k of changed) fields[k] = next[k];
    fields.LastModifiedDate = next.LastModifiedDate;
    const changedFields = [
      ...changed.map((k) => (isNamePart(objectName, k) ? `Name.${k}` : k)),
      'LastModifiedDate',
    ];
    this.emit(
      {
        entityName: objectName,
        changeType: 'UPDATE',
        recordIds: [id18],
        changedFields,
        fields: nestCompoundName(objectName, fields),
        changeOrigin: tx.origin.changeOrigin,
        commitTimestamp: nowMs,
      },
      tx,
    );
    return id18;
  }

  private deleteOne(objectName: SObjectName, id: string, tx: WriteTransaction): string {
    const { id18, record } = this.existing(objectName, id);
    const nowMs = this.now();
    const stamp = formatDateTime(nowMs);
    this.put(objectName, id18, {
      ...record,
      IsDeleted: true,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    });
    this.emit(
      {
        entityName: objectName,
        changeType: 'DELETE',
        recordIds: [id18],
        changedFields: [],
        fields: {},
        changeOrigin: tx.origin.changeOrigin,
        commitTimestamp: nowMs,
      },
      tx,
    );
    // Deleting an account also deletes its contacts, in the same transaction.
    if (objectName === 'Account') {
      for (const c of [...this.table('Contact').values()]) {
        if (c.AccountId === id18 && c.IsDeleted !== true) this.deleteOne('Contact', String(c.Id), tx);
      }
    }
    return id18;
  }

  private checkUnique(objectName: SObjectName, values: StoredRecord, selfId: string | undefined): void {
    for (const f of SOBJECTS[objectName].fields) {
      if (!f.unique) continue;
      const v = values[f.name];
      if (v === undefined || v === null) continue;
      const holder = this.indexFor(objectName, f.name).get(uniqueKey(v));
      if (holder !== undefined && holder !== selfId) {
        throw new SalesforceApiError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${holder}`,
          [f.name],
        );
      }
    }
  }
}

/**
 * What an insert starts from: every stored field null, checkboxes false, picklist defaults, and the
 * default record type where the object has record types.
 */
const INSERT_DEFAULTS: Record<SObjectName, StoredRecord> = Object.fromEntries(
  SOBJECT_NAMES.map((n) => {
    const def = SOBJECTS[n];
    const row: StoredRecord = {};
    for (const f of def.fields) {
      if (f.formula) continue;
      row[f.name] =
        f.type === 'boolean' ? false : (f.picklist?.values.find((v) => v.defaultValue)?.value ?? null);
    }
    const recordType = def.recordTypes.find((rt) => rt.default && !rt.master);
    if (findField(n, 'RecordTypeId') && recordType) row.RecordTypeId = recordType.recordTypeId;
    return [n, row];
  }),
) as Record<SObjectName, StoredRecord>;

/** Thrown inside a batch to undo it after collecting every record's result. */
class RollBack extends Error {}

/** Unique text fields compare case-insensitively, as Salesforce's unique (case-insensitive) option does. */
const uniqueKey = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)).toLowerCase();

const sameValue = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

const hasCompoundName = (objectName: SObjectName) => objectName === 'Contact' || objectName === 'Lead';
const isNamePart = (objectName: SObjectName, field: string) =>
  hasCompoundName(objectName) && NAME_PARTS.has(field);

/** Contact/Lead `Name` is read-only and always FirstName + LastName. */
function applyCompoundName(objectName: SObjectName, record: StoredRecord): void {
  if (!hasCompoundName(objectName)) return;
  record.Name = [record.FirstName, record.LastName]
    .filter((p) => typeof p === 'string' && p !== '')
    .join(' ');
}

/** CDC shape: `Name: { FirstName, LastName }` instead of the flat fields (and no computed Name). */
function nestCompoundName(objectName: SObjectName, fields: Record<string, unknown>): Record<string, unknown> {
  if (!hasCompoundName(objectName)) return fields;
  const out: Record<string, unknown> = {};
  const name: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (NAME_PARTS.has(k)) name[k] = v;
    else if (k !== 'Name') out[k] = v;
  }
  if (Object.keys(name).length > 0) out.Name = name;
  return out;
}
