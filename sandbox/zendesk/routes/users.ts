/** /api/v2/users/** including identities and a user's memberships. */
import type { Request, Router } from 'express';
import { badRequest, notFound } from '../errors';
import { addIdentity, IDENTITY_TYPES } from '../identities';
import { bodyRoot, isRecord, pathId, queryList, queryString } from '../input';
import { makeDefaultMembership } from '../memberships';
import type { IdentityType, UserRecord } from '../types';
import { searchUsers } from '../user-search';
import {
  createOrUpdateUser,
  createUser,
  findUsersByExternalId,
  getUser,
  updateUser,
  type UserWriteOptions,
} from '../users';
import { handle, paginate, rendererFor, type RouteDeps } from './http';

/** `skip_verify_email` may sit at the top level or inside the `user` / `identity` object. */
function writeOptions(req: Request, inner: Record<string, unknown>): UserWriteOptions {
  const body: unknown = req.body;
  const top = isRecord(body) ? body.skip_verify_email : undefined;
  return { skipVerifyEmail: top === true || inner.skip_verify_email === true };
}

export function userRoutes(router: Router, deps: RouteDeps): void {
  const { ctx } = deps;
  const { store } = ctx;
  const all = () => [...store.users.values()].sort((a, b) => a.id - b.id);

  router.get(
    '/users',
    handle((req, res) => {
      const externalId = queryString(req, 'external_id');
      const role = queryString(req, 'role');
      let users = externalId !== undefined ? findUsersByExternalId(store, externalId) : all();
      if (role !== undefined) users = users.filter((u) => u.role === role);
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
        externalId !== undefined ? findUsersByExternalId(store, externalId) : searchUsers(store, query ?? '');
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

  router.post(
    '/users/create_or_update_many',
    handle((req, res) => {
      const list: unknown = isRecord(req.body) ? req.body.users : undefined;
      if (!Array.isArray(list) || !list.every(isRecord))
        throw badRequest('The request body must be a JSON object with a "users" array of objects');
      if (list.length > 100) throw badRequest(`users accepts at most 100 records, got ${list.length}`);
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
    '/users/:user_id/identities',
    handle((req, res) => {
      const user = getUser(store, pathId(req, 'user_id'));
      const r = rendererFor(deps, req);
      res.json(paginate(req, store.identitiesOf(user.id), 'identities', (i) => r.identity(i)));
    }),
  );

  router.post(
    '/users/:user_id/identities',
    handle((req, res) => {
      const user = getUser(store, pathId(req, 'user_id'));
      // Zendesk accepts both `{identity: {...}}` and the bare `{type, value}` shown in its docs.
      const body: unknown = req.body;
      const input = isRecord(body) && isRecord(body.identity) ? body.identity : isRecord(body) ? body : {};
      const type = input.type;
      const value = input.value;
      if (!IDENTITY_TYPES.includes(type as IdentityType) || typeof value !== 'string')
        throw badRequest(`An identity needs type (${IDENTITY_TYPES.join(' or ')}) and a string value`);
      const identity = addIdentity(
        ctx,
        user.id,
        {
          type: type as IdentityType,
          value,
          verified: input.verified === true,
          primary: input.primary === true,
        },
        writeOptions(req, input),
      );
      res.status(201).json({ identity: rendererFor(deps, req).identity(identity) });
    }),
  );

  const identityOf = (req: Request) => {
    const user = getUser(store, pathId(req, 'user_id'));
    const identity = store.identities.get(pathId(req, 'identity_id'));
    if (!identity || identity.user_id !== user.id) throw notFound();
    return identity;
  };

  router.get(
    '/users/:user_id/identities/:identity_id',
    handle((req, res) => {
      res.json({ identity: rendererFor(deps, req).identity(identityOf(req)) });
    }),
  );

  router.put(
    '/users/:user_id/identities/:identity_id/make_primary',
    handle((req, res) => {
      const identity = identityOf(req);
      const now = store.timestamp();
      for (const sibling of store.identitiesOf(identity.user_id))
        if (sibling.type === identity.type)
          Object.assign(sibling, { primary: sibling.id === identity.id, updated_at: now });
      store.changed();
      const r = rendererFor(deps, req);
      res.json({ identities: store.identitiesOf(identity.user_id).map((i) => r.identity(i)) });
    }),
  );

  router.delete(
    '/users/:user_id/identities/:identity_id',
    handle((req, res) => {
      const identity = identityOf(req);
      store.identities.delete(identity.id);
      // The oldest remaining identity of the type takes over, so users.email / users.phone stay defined.
      const next = store.identitiesOf(identity.user_id).find((i) => i.type === identity.type);
      if (identity.primary && next) next.primary = true;
      store.changed();
      res.status(204).end();
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
