/** `/organization_memberships` and `/organizations/{id}/organization_memberships`. */
import type { Router } from 'express';
import { badRequest, notFound } from '../errors';
import { bodyRoot, optInteger, pathId } from '../input';
import { createMembership, deleteMembership } from '../memberships';
import { getOrganization } from '../organizations';
import { handle, paginate, rendererFor, type RouteDeps } from './http';

export function membershipRoutes(router: Router, deps: RouteDeps): void {
  const { ctx } = deps;
  const { store } = ctx;
  const all = () => [...store.memberships.values()].sort((a, b) => a.id - b.id);

  router.get(
    '/organization_memberships',
    handle((req, res) => {
      const r = rendererFor(deps, req);
      res.json(paginate(req, all(), 'organization_memberships', (m) => r.membership(m)));
    }),
  );

  router.post(
    '/organization_memberships',
    handle((req, res) => {
      const input = bodyRoot(req, 'organization_membership');
      const userId = optInteger(input, 'user_id', 'User');
      const organizationId = optInteger(input, 'organization_id', 'Organization');
      if (typeof userId !== 'number' || typeof organizationId !== 'number')
        throw badRequest('organization_membership needs integer user_id and organization_id');
      const membership = createMembership(ctx, userId, organizationId, input.default === true);
      res.status(201).json({ organization_membership: rendererFor(deps, req).membership(membership) });
    }),
  );

  router.get(
    '/organization_memberships/:membership_id',
    handle((req, res) => {
      const membership = store.memberships.get(pathId(req, 'membership_id'));
      if (!membership) throw notFound();
      res.json({ organization_membership: rendererFor(deps, req).membership(membership) });
    }),
  );

  router.delete(
    '/organization_memberships/:membership_id',
    handle((req, res) => {
      const membership = store.memberships.get(pathId(req, 'membership_id'));
      if (!membership) throw notFound();
      deleteMembership(store, membership);
      res.status(204).end();
    }),
  );

  router.get(
    '/organizations/:organization_id/organization_memberships',
    handle((req, res) => {
      const org = getOrganization(store, pathId(req, 'organization_id'));
      const r = rendererFor(deps, req);
      res.json(
        paginate(
          req,
          all().filter((m) => m.organization_id === org.id),
          'organization_memberships',
          (m) => r.membership(m),
        ),
      );
    }),
  );
}
