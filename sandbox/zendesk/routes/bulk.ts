/**
 * The request forms of Zendesk's bulk endpoints (OAS, UpdateManyOrganizations / UpdateManyUsers):
 * - a list body `{users: [...]}` / `{organizations: [...]}` (create_many, and update_many's batch form,
 *   where each object carries its `id` or `external_id`);
 * - update_many's bulk form: `?ids=1,2` or `?external_ids=a,b` with one `{user: {...}}` /
 *   `{organization: {...}}` applied to every record.
 * At most 100 records either way.
 */
import type { Request } from 'express';
import { badRequest, notFound } from '../errors';
import { bodyRoot, isRecord, queryList } from '../input';
import type { JobRunner } from '../jobs';
import type { JobRecord } from '../types';

export const BULK_MAX = 100;

/** `{<root>: [...]}` of at most 100 objects. */
export function bodyList(body: unknown, root: string): Record<string, unknown>[] {
  const list = isRecord(body) ? body[root] : undefined;
  if (!Array.isArray(list) || !list.every(isRecord))
    throw badRequest(`The request body must be a JSON object with a "${root}" array of objects`);
  if (list.length > BULK_MAX)
    throw badRequest(`${root} accepts at most ${BULK_MAX} records, got ${list.length}`);
  return list;
}

export interface UpdateTarget {
  /** The record to update; undefined when the id or external_id names none (its entry fails). */
  id: number | undefined;
  input: Record<string, unknown>;
}

/** The records an update_many request names, in order, each with the change to apply. */
export function updateManyTargets(
  req: Request,
  names: { single: string; plural: string },
  findIdByExternalId: (externalId: string) => number | undefined,
): UpdateTarget[] {
  const ids = queryList(req, 'ids');
  const externalIds = queryList(req, 'external_ids');
  let targets: UpdateTarget[];
  if (ids !== undefined || externalIds !== undefined) {
    const input = bodyRoot(req, names.single);
    targets = (ids ?? []).map((id) => ({ id: /^\d+$/.test(id) ? Number(id) : undefined, input }));
    for (const ext of externalIds ?? []) targets.push({ id: findIdByExternalId(ext), input });
  } else {
    targets = bodyList(req.body, names.plural).map((input) => {
      const id =
        typeof input.id === 'number'
          ? input.id
          : typeof input.external_id === 'string'
            ? findIdByExternalId(input.external_id)
            : undefined;
      const rest = { ...input };
      delete rest.id;
      return { id, input: rest };
    });
  }
  if (targets.length > BULK_MAX)
    throw badRequest(`update_many accepts at most ${BULK_MAX} ${names.plural}, got ${targets.length}`);
  return targets;
}

/**
 * Queues an update_many job: each target is updated by `update`; a target naming no record fails its
 * entry with RecordNotFound. Results as the job_statuses reference shows them.
 */
export function submitUpdateMany(
  jobs: JobRunner,
  jobType: string,
  targets: UpdateTarget[],
  update: (id: number, input: Record<string, unknown>) => void,
): JobRecord {
  return jobs.submit(
    jobType,
    targets.map(({ id, input }) => () => {
      if (id === undefined) throw notFound();
      update(id, input);
      return { id, action: 'update', status: 'Updated', success: true };
    }),
    (index) => ({ id: targets[index]?.id, action: 'update' }),
  );
}
