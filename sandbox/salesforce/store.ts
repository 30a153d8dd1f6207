/**
 * The sandbox org's records. Every committed write maintains the audit fields and publishes one
 * RecordChange per record of a CDC-selected object to the ChangeSink (the CDC feed), with the transaction key
 * and sequence numbers Salesforce would use. Deleted records stay in the table with IsDeleted = true (the
 * recycle bin), so queryAll can still see them.
 *
 * Besides plain writes the store does what the org does on its own: the direct AccountContactRelation of a
 * contact's primary account, the hidden contact of a person account, cascade deletes, and (through
 * lead-convert.ts and merge.ts) lead conversion and merges.
 */
import { randomUUID } from 'node:crypto';
import type { CdcEntity, ChangeSink, RecordChange } from './change-events';
import { entityIsDeleted, notFound, SalesforceApiError } from './errors';
import { formatDateTime, prepareWrite, type ReferenceResolver } from './field-values';
import { makeId, normalizeId } from './ids';
import {
  hasChangeEvents,
  orgSchema,
  PERSON_FIELD_MAP,
  SOBJECT_NAMES,
  type FieldDef,
  type OrgSchema,
  type OrgSettings,
  type SObjectDef,
  type SObjectName,
} from './schema';
import { systemRows, type OrgRowsIdentity } from './system-rows';

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
  settings?: OrgSettings;
}

export interface RecordStoreOptions {
  userId: string;
  /** The org row and the integration user's row (Organization, User). */
  identity?: Partial<OrgRowsIdentity>;
  settings?: OrgSettings;
  sink?: ChangeSink;
  now?: () => number;
}

/** Options of a platform-side update (lead conversion, merges), which may write read-only fields. */
export interface SystemUpdateOptions {
  /** The change event leaves LastModifiedDate out (lead conversion's lead update does). */
  omitLastModifiedDate?: boolean;
}

/** Fields left out of CDC bodies: the id travels in the header; IsDeleted is not captured. */
const NOT_IN_EVENTS = new Set(['Id', 'IsDeleted']);

export class RecordStore implements ReferenceResolver {
  readonly userId: string;
  private identity: OrgRowsIdentity;
  private currentSchema: OrgSchema;
  private sink: ChangeSink;
  private readonly now: () => number;
  private counter = 0;
  private tables = new Map<SObjectName, Map<string, StoredRecord>>();
  /** Each table's Ids in order, for Id-keyed paging; dropped when a row is added or removed. */
  private idOrder = new Map<SObjectName, { ids: string[]; keys: string[] }>();
  /** `Object.Field` -> lower-cased value -> record id, for fields marked unique. */
  private readonly uniqueIndex = new Map<string, Map<string, string>>();
  /** `Object.Field` -> parent id -> ids of live children, for references whose children cascade. */
  private readonly childIndex = new Map<string, Map<string, Set<string>>>();
  /**
   * `Object:id` of a record a delete cascaded to -> the id of the record whose delete did it, so undeleting
   * that record restores them too.
   */
  private readonly cascadedFrom = new Map<string, string>();
  private readonly writeListeners: (() => void)[] = [];
  /** Changes held back until a transaction commits (so allOrNone rollbacks publish nothing). */
  private pending: RecordChange[] | undefined;
  private undo: (() => void)[] | undefined;

  constructor(opts: RecordStoreOptions) {
    this.userId = opts.userId;
    this.identity = {
      orgId: opts.identity?.orgId ?? '00D8d000000SbXkEAK',
      userId: opts.userId,
      username: opts.identity?.username ?? 'admin@sandbox.test',
    };
    this.currentSchema = orgSchema(opts.settings);
    this.sink = opts.sink ?? { publish: () => undefined };
    this.now = opts.now ?? Date.now;
    this.reset();
  }

  /** The org's clock (epoch ms). */
  clock(): number {
    return this.now();
  }

  /** The org's schema under its current settings (person accounts on or off). */
  get schema(): OrgSchema {
    return this.currentSchema;
  }

  /**
   * Changes org settings. Turning person accounts off while person accounts exist is refused, as a real org
   * cannot turn the feature off at all once it has them.
   */
  setSettings(settings: OrgSettings): void {
    if (!settings.personAccounts && this.currentSchema.personAccounts) {
      const anyPerson = [...this.table('Account').values()].some((r) => r.IsPersonAccount === true);
      if (anyPerson) throw new Error('person accounts exist; the setting cannot be turned off');
    }
    this.currentSchema = orgSchema(settings);
    // Rows keep only the fields the schema has; new fields start empty (or false for checkboxes).
    for (const n of SOBJECT_NAMES) {
      for (const [id, r] of this.table(n)) this.table(n).set(id, this.conform(n, r));
    }
    const declared = new Set(this.schema.recordTypes().map((r) => r.recordType.recordTypeId));
    for (const id of [...this.table('RecordType').keys()])
      if (!declared.has(id)) this.setRow('RecordType', id, undefined);
    this.seedRecordTypes();
    this.notifyWrite();
  }

  setSink(sink: ChangeSink): void {
    this.sink = sink;
  }

  /** Called after every committed write (used to schedule snapshot saves). */
  onWrite(listener: () => void): void {
    this.writeListeners.push(listener);
  }

  /** Empties the org (back to its system rows), optionally with new settings. */
  reset(settings?: OrgSettings): void {
    if (settings) this.currentSchema = orgSchema(settings);
    this.tables = new Map(SOBJECT_NAMES.map((n) => [n, new Map<string, StoredRecord>()]));
    this.uniqueIndex.clear();
    this.childIndex.clear();
    this.cascadedFrom.clear();
    this.counter = 0;
    const stamp = formatDateTime(this.now());
    const rows = systemRows(this.identity, stamp);
    for (const [n, list] of Object.entries(rows) as [SObjectName, StoredRecord[]][]) {
      for (const r of list) this.setRow(n, String(r.Id), this.conform(n, r));
    }
    this.seedRecordTypes();
    this.notifyWrite();
  }

  count(objectName: SObjectName, includeDeleted = false): number {
    let n = 0;
    for (const r of this.table(objectName).values()) if (includeDeleted || r.IsDeleted !== true) n += 1;
    return n;
  }

  /** Ids of live records whose `field` equals `value` (text compared case-insensitively), for upserts. */
  findByField(objectName: SObjectName, fieldName: string, value: string): string[] {
    const field = this.schema.findField(objectName, fieldName);
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

  /** A record as the API returns it: all fields, formulas and compounds computed. Throws NOT_FOUND / ENTITY_IS_DELETED. */
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
   * The records whose Id is above `afterId` (compared as SOQL compares Ids: ordinally), in Id order,
   * formulas computed, read lazily: an Id-keyed page (`Id > :cursor ORDER BY Id LIMIT n`) reads its page,
   * not every record of the table (soql/evaluate.ts).
   */
  *recordsInIdOrder(
    objectName: SObjectName,
    afterId: string | undefined,
    includeDeleted = false,
  ): Iterable<StoredRecord> {
    const table = this.table(objectName);
    let order = this.idOrder.get(objectName);
    if (!order || order.ids.length !== table.size) {
      const pairs = [...table].map(([key, r]) => ({ key, id: String(r.Id) }));
      pairs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      order = { ids: pairs.map((p) => p.id), keys: pairs.map((p) => p.key) };
      this.idOrder.set(objectName, order);
    }
    let lo = 0;
    if (afterId !== undefined) {
      let hi = order.ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (order.ids[mid]! > afterId) hi = mid;
        else lo = mid + 1;
      }
    }
    for (let i = lo; i < order.keys.length; i++) {
      const r = table.get(order.keys[i]!);
      if (r && (includeDeleted || r.IsDeleted !== true)) yield this.view(objectName, r);
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

  /** The stored row of a live record (no formulas), or undefined. */
  row(objectName: SObjectName, id18: string): StoredRecord | undefined {
    const r = this.table(objectName).get(id18);
    return r && r.IsDeleted !== true ? { ...r } : undefined;
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
    return this.inTransaction(() => this.createOne(objectName, body, tx, dates));
  }

  /**
   * A platform-side update (lead conversion, merges): no field-level checks, so it can set read-only fields
   * such as IsConverted. Publishes an UPDATE with the fields that changed.
   */
  systemUpdate(
    objectName: SObjectName,
    id18: string,
    values: StoredRecord,
    tx: WriteTransaction,
    opts: SystemUpdateOptions = {},
  ): void {
    this.inTransaction(() => {
      const { record } = this.existing(objectName, id18);
      this.applyUpdate(objectName, id18, record, values, tx, opts);
    });
  }

  /**
   * Deletes a record as a merge's losing record: MasterRecordId points at the winner and its children are
   * not cascade-deleted (the merge has re-parented them).
   */
  deleteMergedLoser(objectName: SObjectName, id18: string, masterId: string, tx: WriteTransaction): void {
    this.inTransaction(() =>
      this.deleteOne(objectName, id18, tx, { masterRecordId: masterId, cascade: false }),
    );
  }

  /**
   * Restores a record from the recycle bin (SOAP undelete()), with the records its delete cascaded to: "Since
   * a delete call cascade-deletes child records, an undelete call undeletes the cascade-deleted records. ...
   * You can undelete records that were deleted as the result of a merge, but the child objects are
   * reparented, which can't be undone." https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_undelete.htm
   * Publishes an UNDELETE change event with every non-empty field (cdc_event_fields_body).
   */
  undelete(objectName: SObjectName, id: string, tx: WriteTransaction): string {
    return this.inTransaction(() => this.undeleteOne(objectName, id, tx));
  }

  /**
   * Merges move contact relationships to the master record (`values`), or remove one that would duplicate a
   * relationship the master already has (`values` undefined). AccountId/ContactId are not updateable through
   * the API, so this is the platform's own write.
   */
  relinkRelation(id18: string, values: StoredRecord | undefined, tx: WriteTransaction): void {
    this.inTransaction(() => {
      const { record } = this.existing('AccountContactRelation', id18);
      if (values) this.applyUpdate('AccountContactRelation', id18, record, values, tx, {});
      else this.deleteOne('AccountContactRelation', id18, tx, { viaCascade: true });
    });
  }

  // ---- snapshot ---------------------------------------------------------------------------------

  exportSnapshot(): StoreSnapshot {
    const tables: Record<string, StoredRecord[]> = {};
    for (const n of SOBJECT_NAMES) tables[n] = this.dump(n);
    return { version: 1, counter: this.counter, tables, settings: this.schema.settings };
  }

  importSnapshot(snapshot: StoreSnapshot): void {
    if (snapshot.settings) this.currentSchema = orgSchema(snapshot.settings);
    this.reset();
    for (const n of SOBJECT_NAMES) {
      for (const r of snapshot.tables[n] ?? []) this.setRow(n, String(r.Id), this.conform(n, r));
    }
    this.counter = snapshot.counter;
  }

  // ---- internals --------------------------------------------------------------------------------

  private table(objectName: SObjectName): Map<string, StoredRecord> {
    return this.tables.get(objectName)!;
  }

  private fields(objectName: SObjectName): readonly FieldDef[] {
    return this.schema.objects[objectName].fields;
  }

  /** A row with exactly the schema's stored fields (compounds and formulas are computed on read). */
  private conform(objectName: SObjectName, row: StoredRecord): StoredRecord {
    const out: StoredRecord = {};
    for (const f of this.fields(objectName)) {
      if (f.formula || f.type === 'address') continue;
      out[f.name] = row[f.name] ?? (f.type === 'boolean' ? (f.defaultValue ?? false) : null);
    }
    return out;
  }

  private view(objectName: SObjectName, stored: StoredRecord): StoredRecord {
    const out: StoredRecord = {};
    for (const step of viewPlan(this.schema.objects[objectName])) out[step.name] = step.read(stored);
    return out;
  }

  /** RecordType rows for the record types the schema declares (the master record type has no row). */
  private seedRecordTypes(): void {
    const stamp = formatDateTime(this.now());
    for (const { objectName, recordType } of this.schema.recordTypes()) {
      if (recordType.master || this.table('RecordType').has(recordType.recordTypeId)) continue;
      this.setRow(
        'RecordType',
        recordType.recordTypeId,
        this.conform('RecordType', {
          Id: recordType.recordTypeId,
          Name: recordType.name,
          DeveloperName: recordType.developerName,
          Description: recordType.description ?? null,
          SobjectType: objectName,
          IsActive: true,
          IsPersonType: recordType.personType === true,
          CreatedDate: stamp,
          CreatedById: this.userId,
          LastModifiedDate: stamp,
          LastModifiedById: this.userId,
          SystemModstamp: stamp,
        }),
      );
    }
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
      if (committed) this.notifyWrite();
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
    for (const f of this.fields(objectName)) {
      if (!f.unique) continue;
      const index = this.indexFor(objectName, f.name);
      const oldValue = prev && prev.IsDeleted !== true ? prev[f.name] : null;
      const newValue = next && next.IsDeleted !== true ? next[f.name] : null;
      if (oldValue !== null && oldValue !== undefined && index.get(uniqueKey(oldValue)) === id)
        index.delete(uniqueKey(oldValue));
      if (newValue !== null && newValue !== undefined) index.set(uniqueKey(newValue), id);
    }
    for (const f of this.fields(objectName)) {
      if (!f.childCascadeDelete) continue;
      const index = this.childIndexFor(objectName, f.name);
      const oldParent = prev && prev.IsDeleted !== true ? prev[f.name] : null;
      const newParent = next && next.IsDeleted !== true ? next[f.name] : null;
      if (typeof oldParent === 'string') index.get(oldParent)?.delete(id);
      if (typeof newParent === 'string') {
        let children = index.get(newParent);
        if (!children) {
          children = new Set<string>();
          index.set(newParent, children);
        }
        children.add(id);
      }
    }
    if (!prev !== !next) this.idOrder.delete(objectName);
    if (next) table.set(id, next);
    else table.delete(id);
  }

  private childIndexFor(objectName: SObjectName, field: string): Map<string, Set<string>> {
    const key = `${objectName}.${field}`;
    let index = this.childIndex.get(key);
    if (!index) {
      index = new Map<string, Set<string>>();
      this.childIndex.set(key, index);
    }
    return index;
  }

  /** Live records of `objectName` whose cascading reference `field` points at `parentId`. */
  private childrenOf(objectName: SObjectName, field: string, parentId: string): StoredRecord[] {
    const ids = [...(this.childIndexFor(objectName, field).get(parentId) ?? [])];
    return ids.map((id) => this.table(objectName).get(id)!).filter((r) => r && r.IsDeleted !== true);
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

  /** Whether this write becomes a change event (CDC-selected object, publishing transaction). */
  private publishes(objectName: SObjectName, tx: WriteTransaction): boolean {
    return tx.origin.publish !== false && hasChangeEvents(this.schema.objects[objectName]);
  }

  private emit(
    objectName: SObjectName,
    change: Omit<RecordChange, 'transactionKey' | 'sequenceNumber' | 'entityName'>,
    tx: WriteTransaction,
  ): void {
    if (!this.publishes(objectName, tx)) return;
    this.pending?.push({
      ...change,
      entityName: objectName as CdcEntity,
      transactionKey: tx.key,
      sequenceNumber: tx.nextSequence(),
    });
  }

  private checkObjectAllows(objectName: SObjectName, op: 'createable' | 'updateable' | 'deletable'): void {
    if (this.schema.objects[objectName][op] !== false) return;
    const verb = { createable: 'inserted', updateable: 'updated', deletable: 'deleted' }[op];
    // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm (StatusCode)
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE_FOR_OPERATION',
      `entity type cannot be ${verb}: ${this.schema.objects[objectName].label}`,
    );
  }

  private createOne(
    objectName: SObjectName,
    body: unknown,
    tx: WriteTransaction,
    seedDates?: { CreatedDate: string; LastModifiedDate: string },
  ): string {
    this.checkObjectAllows(objectName, 'createable');
    const values = prepareWrite(objectName, body, 'insert', this);
    if (objectName === 'Account') this.checkPersonAccountWrite(values, undefined);
    this.checkUnique(objectName, values, undefined);
    const dated = seedDates
      ? { ...values, ...seedDates, SystemModstamp: seedDates.LastModifiedDate }
      : values;
    const person = objectName === 'Account' && this.schema.isPersonRecordType(values.RecordTypeId);
    // A person account's contact id is known to the account's CREATE event (PersonContactId).
    const personContactId = person ? this.nextId('Contact') : undefined;
    const id = this.insertRecord(
      objectName,
      personContactId ? { ...dated, PersonContactId: personContactId } : dated,
      tx,
    );
    if (personContactId) this.createPersonContact(id, personContactId, tx, seedDates);
    if (objectName === 'Contact') this.syncDirectRelation(id, undefined, tx);
    return id;
  }

  private nextId(objectName: SObjectName): string {
    this.counter += 1;
    return makeId(this.schema.objects[objectName].keyPrefix, this.counter);
  }

  /** Inserts a validated record: defaults, audit fields, compound Name, and the CREATE event. */
  private insertRecord(objectName: SObjectName, values: StoredRecord, tx: WriteTransaction): string {
    const nowText = formatDateTime(this.now());
    const id = typeof values.Id === 'string' ? values.Id : this.nextId(objectName);
    const record: StoredRecord = { ...insertDefaults(this.schema, objectName) };
    for (const [k, v] of Object.entries(values)) if (v !== undefined) record[k] = v;
    const hasOwner = this.fields(objectName).some((f) => f.name === 'OwnerId');
    Object.assign(record, {
      Id: id,
      IsDeleted: false,
      ...(hasOwner ? { OwnerId: values.OwnerId ?? this.userId } : {}),
      CreatedById: values.CreatedById ?? this.userId,
      LastModifiedById: values.LastModifiedById ?? this.userId,
      CreatedDate: values.CreatedDate ?? nowText,
      LastModifiedDate: values.LastModifiedDate ?? nowText,
      SystemModstamp: values.SystemModstamp ?? nowText,
    });
    if (objectName === 'Account' && this.schema.isPersonRecordType(record.RecordTypeId)) {
      record.IsPersonAccount = true;
    }
    applyCompoundName(this.schema, objectName, record);
    this.put(objectName, id, this.conform(objectName, record));
    if (!this.publishes(objectName, tx)) return id;
    this.emit(
      objectName,
      {
        changeType: 'CREATE',
        recordIds: [id],
        changedFields: [],
        fields: this.eventBody(objectName, id),
        changeOrigin: tx.origin.changeOrigin,
        commitTimestamp: Date.parse(String(record.CreatedDate).replace('+0000', 'Z')),
      },
      tx,
    );
    return id;
  }

  existing(objectName: SObjectName, id: string): { id18: string; record: StoredRecord } {
    const found = this.stored(objectName, id);
    if (found.record.IsDeleted === true) throw entityIsDeleted();
    return found;
  }

  /** The stored row of a record, deleted or not: MALFORMED_ID for an id of another object, NOT_FOUND. */
  private stored(objectName: SObjectName, id: string): { id18: string; record: StoredRecord } {
    const id18 = normalizeId(id);
    if (id18 === undefined || !id18.startsWith(this.schema.objects[objectName].keyPrefix)) {
      throw new SalesforceApiError(
        400,
        'MALFORMED_ID',
        `${objectName} ID: id value of incorrect type: ${id}`,
        ['Id'],
      );
    }
    const record = this.table(objectName).get(id18);
    if (!record) throw notFound();
    return { id18, record };
  }

  private updateOne(objectName: SObjectName, id: string, body: unknown, tx: WriteTransaction): string {
    this.checkObjectAllows(objectName, 'updateable');
    const { id18, record } = this.existing(objectName, id);
    if (objectName === 'Lead' && record.IsConverted === true) {
      // A converted lead is read-only: https://help.salesforce.com/s/articleView?id=000384333&type=1
      throw new SalesforceApiError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
    }
    const values = prepareWrite(objectName, body, 'update', this, { recordId: id18 });
    if (objectName === 'Account') this.checkPersonAccountWrite(values, record);
    this.checkUnique(objectName, values, id18);
    const previousAccount = record.AccountId;
    this.applyUpdate(objectName, id18, record, values, tx, {});
    if (objectName === 'Account' && record.IsPersonAccount === true) this.syncPersonContact(id18, values, tx);
    if (objectName === 'Contact' && 'AccountId' in values) this.syncDirectRelation(id18, previousAccount, tx);
    return id18;
  }

  /** Stores `values` over `record`, bumps the modstamps and publishes the UPDATE. */
  private applyUpdate(
    objectName: SObjectName,
    id18: string,
    record: StoredRecord,
    values: StoredRecord,
    tx: WriteTransaction,
    opts: SystemUpdateOptions,
  ): void {
    const next: StoredRecord = { ...record, ...values };
    applyCompoundName(this.schema, objectName, next);
    const changed = Object.keys(values).filter((k) => !sameValue(record[k], next[k]));
    // Salesforce bumps the modstamps on every successful update, even one that changes nothing.
    const nowMs = this.now();
    next.LastModifiedDate = formatDateTime(nowMs);
    next.SystemModstamp = next.LastModifiedDate;
    next.LastModifiedById = this.userId;
    this.put(objectName, id18, next);
    if (!this.publishes(objectName, tx)) return;
    const fields: Record<string, unknown> = {};
    for (const k of changed) fields[k] = next[k];
    if (!opts.omitLastModifiedDate) fields.LastModifiedDate = next.LastModifiedDate;
    const changedFields = [
      ...changed.map((k) => compoundPath(this.fields(objectName), k)),
      ...(opts.omitLastModifiedDate ? [] : ['LastModifiedDate']),
    ];
    this.emit(
      objectName,
      {
        changeType: 'UPDATE',
        recordIds: [id18],
        changedFields,
        fields: nestCompounds(this.fields(objectName), fields),
        changeOrigin: tx.origin.changeOrigin,
        commitTimestamp: nowMs,
      },
      tx,
    );
  }

  private deleteOne(
    objectName: SObjectName,
    id: string,
    tx: WriteTransaction,
    opts: { masterRecordId?: string; cascade?: boolean; viaCascade?: boolean; cascadeParent?: string } = {},
  ): string {
    if (!opts.viaCascade) this.checkObjectAllows(objectName, 'deletable');
    const { id18, record } = this.existing(objectName, id);
    if (objectName === 'AccountContactRelation' && record.IsDirect === true && !opts.viaCascade) {
      // "To remove a direct relationship between a contact and an account, change the contact's primary
      // account or delete the contact." https://help.salesforce.com/s/articleView?id=sales.shared_contacts_considerations.htm
      throw new SalesforceApiError(
        400,
        'DELETE_FAILED',
        "To remove a direct relationship, change the contact's primary account or delete the contact.",
      );
    }
    const nowMs = this.now();
    const stamp = formatDateTime(nowMs);
    this.put(objectName, id18, {
      ...record,
      IsDeleted: true,
      ...(opts.masterRecordId ? { MasterRecordId: opts.masterRecordId } : {}),
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    });
    this.setCascadedFrom(`${objectName}:${id18}`, opts.cascadeParent);
    this.emit(
      objectName,
      {
        changeType: 'DELETE',
        recordIds: [id18],
        changedFields: [],
        fields: {},
        changeOrigin: tx.origin.changeOrigin,
        commitTimestamp: nowMs,
      },
      tx,
    );
    if (opts.cascade === false) return id18;
    // Children whose relationship cascades (an account's contacts, relationships) go in the same transaction.
    for (const { child, field } of this.schema.childRelationships(objectName)) {
      if (!field.childCascadeDelete) continue;
      for (const c of this.childrenOf(child, field.name, id18)) {
        if (this.table(child).get(String(c.Id))?.IsDeleted !== true)
          this.deleteOne(child, String(c.Id), tx, { viaCascade: true, cascadeParent: id18 });
      }
    }
    return id18;
  }

  private setCascadedFrom(key: string, parent: string | undefined): void {
    const prev = this.cascadedFrom.get(key);
    const set = (v: string | undefined) =>
      v === undefined ? this.cascadedFrom.delete(key) : this.cascadedFrom.set(key, v);
    set(parent);
    this.undo?.push(() => set(prev));
  }

  private undeleteOne(objectName: SObjectName, id: string, tx: WriteTransaction): string {
    this.checkObjectAllows(objectName, 'deletable');
    const { id18, record } = this.stored(objectName, id);
    // UNDELETE_FAILED is the StatusCode for this; its wording is not documented (inferred).
    if (record.IsDeleted !== true)
      throw new SalesforceApiError(400, 'UNDELETE_FAILED', 'Entity is not in the recycle bin');
    const nowMs = this.now();
    // Only the system modstamp moves: whether an undelete bumps LastModifiedDate is not documented.
    const restored: StoredRecord = { ...record, IsDeleted: false, SystemModstamp: formatDateTime(nowMs) };
    this.checkUnique(objectName, restored, id18);
    this.put(objectName, id18, restored);
    this.setCascadedFrom(`${objectName}:${id18}`, undefined);
    if (this.publishes(objectName, tx)) {
      this.emit(
        objectName,
        {
          changeType: 'UNDELETE',
          recordIds: [id18],
          changedFields: [],
          fields: this.eventBody(objectName, id18),
          changeOrigin: tx.origin.changeOrigin,
          commitTimestamp: nowMs,
        },
        tx,
      );
    }
    for (const [key, parent] of [...this.cascadedFrom]) {
      if (parent !== id18) continue;
      const [child, childId] = key.split(':') as [SObjectName, string];
      if (this.table(child).get(childId)?.IsDeleted === true) this.undeleteOne(child, childId, tx);
    }
    return id18;
  }

  /** A CREATE or UNDELETE body: every non-empty field, compounds nested. */
  private eventBody(objectName: SObjectName, id18: string): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.table(objectName).get(id18)!))
      if (v !== null && !NOT_IN_EVENTS.has(k)) fields[k] = v;
    return nestCompounds(this.fields(objectName), fields);
  }

  private checkUnique(objectName: SObjectName, values: StoredRecord, selfId: string | undefined): void {
    for (const f of this.fields(objectName)) {
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

  // ---- account-contact relationships --------------------------------------------------------------

  /**
   * Keeps the contact's direct AccountContactRelation on its primary account: created with the contact,
   * moved when AccountId changes (an indirect relation to the new account becomes the direct one), removed
   * when AccountId is cleared. https://help.salesforce.com/s/articleView?id=sales.shared_contacts_considerations.htm
   */
  private syncDirectRelation(contactId: string, previousAccount: unknown, tx: WriteTransaction): void {
    const contact = this.table('Contact').get(contactId)!;
    const accountId = contact.AccountId;
    if (accountId === previousAccount) return;
    const relations = this.childrenOf('AccountContactRelation', 'ContactId', contactId);
    for (const r of relations) {
      if (r.IsDirect === true && r.AccountId !== accountId)
        this.deleteOne('AccountContactRelation', String(r.Id), tx, { viaCascade: true });
    }
    if (typeof accountId !== 'string') return;
    const toNew = relations.find((r) => r.AccountId === accountId);
    if (toNew) {
      if (toNew.IsDirect !== true)
        this.applyUpdate('AccountContactRelation', String(toNew.Id), toNew, { IsDirect: true }, tx, {});
      return;
    }
    this.insertRecord(
      'AccountContactRelation',
      { AccountId: accountId, ContactId: contactId, IsDirect: true, IsActive: true },
      tx,
    );
  }

  // ---- person accounts -----------------------------------------------------------------------------

  /**
   * Person accounts take their name from FirstName/LastName (Name cannot be written) and business accounts
   * cannot use person fields: "Account: bad field names on insert/update call: Name"
   * (https://help.salesforce.com/s/articleView?id=000386207&type=1).
   */
  private checkPersonAccountWrite(values: StoredRecord, existing: StoredRecord | undefined): void {
    if (!this.schema.personAccounts) return;
    const recordTypeId = 'RecordTypeId' in values ? values.RecordTypeId : existing?.RecordTypeId;
    const person = this.schema.isPersonRecordType(recordTypeId);
    if (existing && person !== (existing.IsPersonAccount === true)) {
      // Changing the record type between business and person ("marrying or separating") takes no other field.
      const others = Object.keys(values).filter((k) => k !== 'RecordTypeId');
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        others.length > 0
          ? 'Cannot specify any additional fields when marrying or separating a Person-Account'
          : 'The sandbox does not convert accounts between business and person accounts',
      );
    }
    const bad = person
      ? Object.keys(values).filter((k) => k === 'Name')
      : Object.keys(values).filter((k) => this.schema.findField('Account', k)?.personAccountOnly === true);
    if (bad.length > 0) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Account: bad field names on insert/update call: ${bad.join(', ')}`,
        bad,
      );
    }
    if (person && !existing && (typeof values.LastName !== 'string' || values.LastName === '')) {
      throw new SalesforceApiError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]', [
        'LastName',
      ]);
    }
  }

  /** A person account's contact: created with the account, carrying the person fields. */
  private createPersonContact(
    accountId: string,
    contactId: string,
    tx: WriteTransaction,
    seedDates?: { CreatedDate: string; LastModifiedDate: string },
  ): void {
    const account = this.table('Account').get(accountId)!;
    const values: StoredRecord = { Id: contactId, AccountId: accountId, IsPersonAccount: true };
    for (const [accountField, contactField] of Object.entries(PERSON_FIELD_MAP)) {
      if (account[accountField] !== null && account[accountField] !== undefined)
        values[contactField] = account[accountField];
    }
    const dated = seedDates
      ? { ...values, ...seedDates, SystemModstamp: seedDates.LastModifiedDate }
      : values;
    this.insertRecord('Contact', dated, tx);
    this.syncDirectRelation(contactId, undefined, tx);
  }

  /** Mirrors an update of a person account's person fields onto its contact (one more change event). */
  private syncPersonContact(accountId: string, values: StoredRecord, tx: WriteTransaction): void {
    const account = this.table('Account').get(accountId)!;
    const contactId = account.PersonContactId;
    if (typeof contactId !== 'string') return;
    const contactValues: StoredRecord = {};
    for (const [accountField, contactField] of Object.entries(PERSON_FIELD_MAP)) {
      if (accountField in values) contactValues[contactField] = values[accountField];
    }
    if (Object.keys(contactValues).length === 0) return;
    const contact = this.table('Contact').get(contactId);
    if (contact) this.applyUpdate('Contact', contactId, contact, contactValues, tx, {});
  }
}

/** How to read each field of a stored row (formulas and compounds are computed): built once per object. */
const viewPlans = new WeakMap<SObjectDef, { name: string; read: (r: StoredRecord) => unknown }[]>();
function viewPlan(def: SObjectDef): { name: string; read: (r: StoredRecord) => unknown }[] {
  let plan = viewPlans.get(def);
  if (!plan) {
    plan = def.fields.map((f) => {
      if (f.formula) return { name: f.name, read: (r: StoredRecord) => f.formula!.compute(r) };
      if (f.type === 'address') {
        const parts = def.fields
          .filter((p) => p.compoundFieldName === f.name)
          .map((p) => {
            const key = componentKey(p);
            return { field: p.name, key: key.charAt(0).toLowerCase() + key.slice(1) };
          })
          .sort((a, b) => a.key.localeCompare(b.key));
        return { name: f.name, read: (r: StoredRecord) => addressValue(parts, r) };
      }
      return { name: f.name, read: (r: StoredRecord) => r[f.name] ?? null };
    });
    viewPlans.set(def, plan);
  }
  return plan;
}

const insertDefaultRows = new WeakMap<SObjectDef, StoredRecord>();

/**
 * What an insert starts from: every stored field null, checkboxes false (or their default), picklist
 * defaults, and the default record type where the object has record types.
 */
function insertDefaults(schema: OrgSchema, objectName: SObjectName): StoredRecord {
  const def = schema.objects[objectName];
  const cached = insertDefaultRows.get(def);
  if (cached) return cached;
  const row: StoredRecord = {};
  for (const f of def.fields) {
    if (f.formula || f.type === 'address') continue;
    row[f.name] =
      f.type === 'boolean'
        ? (f.defaultValue ?? false)
        : (f.picklist?.values.find((v) => v.defaultValue)?.value ?? null);
  }
  const recordType = def.recordTypes.find((rt) => rt.default && !rt.master);
  if (schema.findField(objectName, 'RecordTypeId') && recordType) row.RecordTypeId = recordType.recordTypeId;
  insertDefaultRows.set(def, row);
  return row;
}

/** Thrown inside a batch to undo it after collecting every record's result. */
class RollBack extends Error {}

/** Unique text fields compare case-insensitively, as Salesforce's unique (case-insensitive) option does. */
const uniqueKey = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)).toLowerCase();

const sameValue = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

const hasNameParts = (fields: readonly FieldDef[]) => fields.some((f) => f.compoundFieldName === 'Name');

/** Contact/Lead/User (and person account) `Name` is read-only and always [Salutation] FirstName LastName. */
function applyCompoundName(schema: OrgSchema, objectName: SObjectName, record: StoredRecord): void {
  const fields = schema.objects[objectName].fields;
  if (!hasNameParts(fields)) return;
  if (objectName === 'Account' && record.IsPersonAccount !== true) return;
  record.Name = [record.FirstName, record.LastName]
    .filter((p) => typeof p === 'string' && p !== '')
    .join(' ');
}

/** The component's key inside its compound: `BillingCity` -> `City`; Name parts keep their names. */
function componentKey(field: FieldDef): string {
  const compound = field.compoundFieldName!;
  if (compound === 'Name') return field.name;
  const prefix = compound.slice(0, -'Address'.length);
  return field.name.slice(prefix.length);
}

/** CDC's changedFields name a compound's component as `Compound.Component` (`Name.LastName`, `BillingAddress.City`). */
function compoundPath(fields: readonly FieldDef[], name: string): string {
  const f = fields.find((x) => x.name === name);
  return f?.compoundFieldName && f.compoundFieldName !== f.name
    ? `${f.compoundFieldName}.${componentKey(f)}`
    : name;
}

/**
 * CDC shape: compound fields nested (`Name: { FirstName, LastName }`, `BillingAddress: { City, ... }`), the
 * computed Name of a person name dropped. https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_body.htm
 */
function nestCompounds(
  fields: readonly FieldDef[],
  values: Record<string, unknown>,
): Record<string, unknown> {
  const byName = new Map(fields.map((f) => [f.name, f]));
  // The computed Name of a person name travels as its parts (`Name: { FirstName, LastName }`).
  const nameParts = Object.keys(values).some((k) => byName.get(k)?.compoundFieldName === 'Name');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const f = byName.get(k);
    if (f?.compoundFieldName && f.compoundFieldName !== k) {
      const group = (out[f.compoundFieldName] ??= {}) as Record<string, unknown>;
      group[componentKey(f)] = v;
    } else if (!(k === 'Name' && nameParts)) {
      out[k] = v;
    }
  }
  return out;
}

/**
 * REST's value of an address compound: `{city, country, geocodeAccuracy, latitude, longitude, postalCode,
 * state, street}`, or null when every component is empty.
 */
function addressValue(parts: readonly { field: string; key: string }[], stored: StoredRecord): unknown {
  if (parts.every((p) => stored[p.field] === null || stored[p.field] === undefined)) return null;
  const out: Record<string, unknown> = {};
  for (const p of parts) out[p.key] = stored[p.field] ?? null;
  return out;
}
