/** /api/v2/users/** and a user's memberships (identities: ./identities.ts). */
import type { Request, Router } from 'express';
import { badRequest, forbidden, notFound } from '../errors';
import { isRecord, bodyRoot, pathId, queryList, queryString } from '../input';
import { makeDefaultMembership } from '../memberships';
import { searchUsers } from '../search';
import { USER_ROLES, type UserRecord } from '../types';
import {
  createOrUpdateUser,
  createUser,
  findUsersByExternalId,
  getUser,
  updateUser,
  type UserWriteOptions,
} from '../users';
import { bodyList, submitUpdateMany, updateManyTargets } from './bulk';
import { handle, paginate, rendererFor, type RouteDeps } from './http';

/** `skip_verify_email` may sit at the top level or inside the `user` / `identity` object. */
export function writeOptions(req: Request, inner: Record<string, unknown>): UserWriteOptions {
  const body: unknown = req.body;
  const top = isRecord(body) ? body.skip_verify_email : undefined;
  return { skipVerifyEmail: top === true || inner.skip_verify_email === true };
}

/** `role=agent` or `role[]=agent&role[]=admin` (OAS UserRoleFilter / UserRolesFilter). */
function rolesFilter(req: Request): string[] | undefined {
  const q = req.query as Record<string, unknown>;
  const raw = q.role;
  if (raw === undefined) return undefined;
  const roles = (Array.isArray(raw) ? raw : [raw]).filter((r): r is string => typeof r === 'string');
  return roles.filter((r) => (USER_ROLES as readonly string[]).includes(r));
}

export function userRoutes(router: Router, deps: RouteDeps): void {
  const { ctx } = deps;
  const { store } = ctx;
  const all = () => [...store.users.values()].sort((a, b) => a.id - b.id);

  router.get(
    '/users',
    handle((req, res) => {
      const externalId = queryString(req, 'external_id');
      const roles = rolesFilter(req);
      let users = externalId !== undefined ? findUsersByExternalId(store, externalId) : all();
      if (roles !== undefined) users = users.filter((u) => roles.includes(u.role));
      const r = rendererFor(deps, req);
      res.json(paginate(req, users, 'users', (u) => r.user(u)));
    }),
  );

  router.post(
    '/users',
    handle((req, res) => {
      const input = bodyRoot(req, 'user');
      const user = createUser(ctx, input, writeOptions(req, input));
      res.status(201).json({ user: rendererFor(deps, req).user(user) });
    }),
  );

  router.get(
    '/users/me',
    handle((req, res) => {
      const me = res.locals.zendeskUser as UserRecord;
      res.json({ user: rendererFor(deps, req).user(getUser(store, me.id)) });
    }),
  );

  router.get(
    '/users/search',
    handle((req, res) => {
      const externalId = queryString(req, 'external_id');
      const query = queryString(req, 'query');
      if ((externalId === undefined) === (query === undefined))
        throw badRequest('Search by exactly one of query or external_id');
      // external_id is a direct lookup (read-after-write safe); query goes through the lagging search index.
      const users =
        externalId !== undefined
          ? findUsersByExternalId(store, externalId)
          : searchUsers(store, deps.index, query ?? '');
      const r = rendererFor(deps, req);
      res.json(paginate(req, users, 'users', (u) => r.user(u)));
    }),
  );

  router.get(
    '/users/show_many',
    handle((req, res) => {
      const ids = queryList(req, 'ids');
      const externalIds = queryList(req, 'external_ids');
      if (ids === undefined && externalIds === undefined) throw badRequest('Provide ids or external_ids');
      const found: UserRecord[] = [];
      for (const id of ids ?? []) {
        const user = store.users.get(Number(id));
        if (user && !found.includes(user)) found.push(user);
      }
      for (const ext of externalIds ?? [])
        for (const user of findUsersByExternalId(store, ext)) if (!found.includes(user)) found.push(user);
      const r = rendererFor(deps, req);
      res.json(paginate(req, found, 'users', (u) => r.user(u)));
    }),
  );

  router.post(
    '/users/create_or_update',
    handle((req, res) => {
      const input = bodyRoot(req, 'user');
      const { user, created } = createOrUpdateUser(ctx, input, writeOptions(req, input));
      const body = { user: rendererFor(deps, req).user(user) };
      if (!created) res.location(`/api/v2/users/${user.id}.json`);
      res.status(created ? 201 : 200).json(body);
    }),
  );

  // "bulk user imports are not enabled by default ... A 403 Forbidden error is returned if data imports
  // are not enabled" (OAS, CreateManyUsers; the same for create_or_update_many).
  const requireBulkImport = () => {
    if (!ctx.settings.bulkUserImport) throw forbidden();
  };

  router.get(
    '/users/count',
    handle((req, res) => {
      const roles = rolesFilter(req);
      const value = [...store.users.values()].filter(
        (u) => roles === undefined || roles.includes(u.role),
      ).length;
      // Approximate above 100,000 (refreshed daily, OAS CountUsers); live below.
      res.json({ count: { value, refreshed_at: store.timestamp() } });
    }),
  );

  router.post(
    '/users/create_many',
    handle((req, res) => {
      requireBulkImport();
      const list = bodyList(req.body, 'users');
      const job = deps.jobs.submit(
        'Bulk Create Users',
        list.map((input) => (index) => ({ index, id: createUser(ctx, input, writeOptions(req, input)).id })),
      );
      res.json({ job_status: rendererFor(deps, req).job(job) });
    }),
  );

  router.put(
    '/users/update_many',
    handle((req, res) => {
      const targets = updateManyTargets(
        req,
        { single: 'user', plural: 'users' },
        (ext) => findUsersByExternalId(store, ext)[0]?.id,
      );
      const job = submitUpdateMany(deps.jobs, 'Bulk Update Users', targets, (id, input) =>
        updateUser(ctx, id, input, writeOptions(req, input)),
      );
      res.json({ job_status: rendererFor(deps, req).job(job) });
    }),
  );

  router.post(
    '/users/create_or_update_many',
    handle((req, res) => {
      requireBulkImport();
      const list = bodyList(req.body, 'users');
      const job = deps.jobs.submit(
        'Bulk Create or Update Users',
        list.map((input) => (index) => {
          const { user, created } = createOrUpdateUser(ctx, input, writeOptions(req, input));
          return {
            index,
            id: user.id,
            action: created ? 'create' : 'update',
            status: created ? 'Created' : 'Updated',
            success: true,
          };
        }),
      );
      res.json({ job_status: rendererFor(deps, req).job(job) });
    }),
  );

  router.get(
    '/users/:user_id',
    handle((req, res) => {
      res.json({ user: rendererFor(deps, req).user(getUser(store, pathId(req, 'user_id'))) });
    }),
  );

  router.put(
    '/users/:user_id',
    handle((req, res) => {
      const input = bodyRoot(req, 'user');
      const user = updateUser(ctx, pathId(req, 'user_id'), input, writeOptions(req, input));
      res.json({ user: rendererFor(deps, req).user(user) });
    }),
  );

  router.get(
    '/users/:user_id/related',
    handle((req, res) => {
      getUser(store, pathId(req, 'user_id')); // 404 RecordNotFound for an unknown user
      // The sandbox has no tickets or subscriptions: every count Zendesk documents (OAS UserRelatedObject) is 0.
      res.json({
        user_related: {
          assigned_tickets: 0,
          ccd_tickets: 0,
          organization_subscriptions: 0,
          requested_tickets: 0,
        },
      });
    }),
  );

  router.get(
    '/users/:user_id/organization_memberships',
    handle((req, res) => {
      const user = getUser(store, pathId(req, 'user_id'));
      const r = rendererFor(deps, req);
      res.json(
        paginate(req, store.membershipsOf(user.id), 'organization_memberships', (m) => r.membership(m)),
      );
    }),
  );

  router.put(
    '/users/:user_id/organization_memberships/:membership_id/make_default',
    handle((req, res) => {
      const user = getUser(store, pathId(req, 'user_id'));
      const membership = store.memberships.get(pathId(req, 'membership_id'));
      if (!membership || membership.user_id !== user.id) throw notFound();
      makeDefaultMembership(store, membership.id);
      const r = rendererFor(deps, req);
      res.json(
        paginate(req, store.membershipsOf(user.id), 'organization_memberships', (m) => r.membership(m)),
      );
    }),
  );
}
