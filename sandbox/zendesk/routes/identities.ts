/**
 * `/users/{user_id}/identities/**` (https://developer.zendesk.com/api-reference/ticketing/users/user_identities/):
 * list, create, show, update, make_primary, verify, request_verification, delete.
 */
import type { Request, Router } from 'express';
import { badRequest, forbidden, notFound } from '../errors';
import {
  addIdentity,
  deleteIdentity,
  IDENTITY_TYPES,
  makePrimaryIdentity,
  updateIdentity,
  verifyIdentity,
} from '../identities';
import { isRecord, pathId } from '../input';
import type { IdentityType } from '../types';
import { getUser } from '../users';
import { handle, paginate, rendererFor, type RouteDeps } from './http';
import { writeOptions } from './users';

/** Zendesk accepts both `{identity: {...}}` and the bare `{type, value}` shown in its docs. */
function identityBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return isRecord(body) && isRecord(body.identity) ? body.identity : isRecord(body) ? body : {};
}

export function identityRoutes(router: Router, deps: RouteDeps): void {
  const { ctx } = deps;
  const { store } = ctx;

  const identityOf = (req: Request) => {
    const user = getUser(store, pathId(req, 'user_id'));
    const identity = store.identities.get(pathId(req, 'identity_id'));
    if (!identity || identity.user_id !== user.id) throw notFound();
    return identity;
  };

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
      const input = identityBody(req);
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

  router.get(
    '/users/:user_id/identities/:identity_id',
    handle((req, res) => {
      res.json({ identity: rendererFor(deps, req).identity(identityOf(req)) });
    }),
  );

  router.put(
    '/users/:user_id/identities/:identity_id',
    handle((req, res) => {
      const identity = updateIdentity(ctx, identityOf(req), identityBody(req));
      res.json({ identity: rendererFor(deps, req).identity(identity) });
    }),
  );

  router.put(
    '/users/:user_id/identities/:identity_id/make_primary',
    handle((req, res) => {
      const identity = identityOf(req);
      makePrimaryIdentity(store, identity);
      const r = rendererFor(deps, req);
      res.json({ identities: store.identitiesOf(identity.user_id).map((i) => r.identity(i)) });
    }),
  );

  router.put(
    '/users/:user_id/identities/:identity_id/verify',
    handle((req, res) => {
      const identity = identityOf(req);
      // "For security reasons, you can't use this endpoint to update the email identity of the account
      // owner" (OAS, VerifyUserIdentity).
      if (identity.type === 'email' && identity.user_id === deps.ownerId()) throw forbidden();
      res.json({ identity: rendererFor(deps, req).identity(verifyIdentity(store, identity)) });
    }),
  );

  router.put(
    '/users/:user_id/identities/:identity_id/request_verification',
    handle((req, res) => {
      const identity = identityOf(req);
      // "Sends the user a verification email" (recorded in the outbox); the OAS documents an empty 200 body.
      if (identity.type === 'email')
        store.outbox.push({
          at: store.timestamp(),
          to: identity.value,
          kind: 'verify',
          user_id: identity.user_id,
        });
      store.changed();
      res.status(200).end();
    }),
  );

  router.delete(
    '/users/:user_id/identities/:identity_id',
    handle((req, res) => {
      deleteIdentity(store, identityOf(req));
      res.status(204).end();
    }),
  );
}
