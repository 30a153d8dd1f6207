/** /api/v2/organizations/** */
import type { Router } from 'express';
import { badRequest, ZendeskApiError } from '../errors';
import { bodyRoot, pathId, queryList, queryString } from '../input';
import { deleteMembership } from '../memberships';
import {
  createOrganization,
  createOrUpdateOrganization,
  findOrganizationByExternalId,
  findOrganizationByName,
  getOrganization,
  updateOrganization,
} from '../organizations';
import type { OrganizationRecord } from '../types';
import { bodyList, submitUpdateMany, updateManyTargets } from './bulk';
import { handle, paginate, rendererFor, type RouteDeps } from './http';

export function organizationRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps.ctx;
  const all = () => [...store.organizations.values()].sort((a, b) => a.id - b.id);

  router.get(
    '/organizations',
    handle((req, res) => {
      const r = rendererFor(deps, req);
      res.json(paginate(req, all(), 'organizations', (o) => r.organization(o)));
    }),
  );

  router.post(
    '/organizations',
    handle((req, res) => {
      const org = createOrganization(store, bodyRoot(req, 'organization'));
      res.status(201).json({ organization: rendererFor(deps, req).organization(org) });
    }),
  );

  router.get(
    '/organizations/show_many',
    handle((req, res) => {
      const ids = queryList(req, 'ids');
      const externalIds = queryList(req, 'external_ids');
      if (ids === undefined && externalIds === undefined) throw badRequest('Provide ids or external_ids');
      const found: OrganizationRecord[] = [];
      for (const id of ids ?? []) {
        const org = store.organizations.get(Number(id));
        if (org && !found.includes(org)) found.push(org);
      }
      for (const ext of externalIds ?? [])
        for (const org of findOrganizationByExternalId(store, ext)) if (!found.includes(org)) found.push(org);
      const r = rendererFor(deps, req);
      res.json(paginate(req, found, 'organizations', (o) => r.organization(o)));
    }),
  );

  router.get(
    '/organizations/search',
    handle((req, res) => {
      const name = queryString(req, 'name');
      const externalId = queryString(req, 'external_id');
      // Zendesk: search by external_id or by name, "but not both"; neither is also a bad request.
      if ((name === undefined) === (externalId === undefined))
        throw badRequest('Search by exactly one of name or external_id');
      const found =
        name !== undefined
          ? findOrganizationByName(store, name)
          : findOrganizationByExternalId(store, externalId ?? '');
      const r = rendererFor(deps, req);
      res.json(paginate(req, found, 'organizations', (o) => r.organization(o)));
    }),
  );

  router.get(
    '/organizations/autocomplete',
    handle((req, res) => {
      const prefix = (queryString(req, 'name') ?? '').toLowerCase();
      // The OAS documents this operation's 400 in the {errors: [{code: "QueryError", title}]} shape.
      if (prefix.length < 2)
        throw new ZendeskApiError(
          400,
          'QueryError',
          'name must be at least 2 characters',
          undefined,
          'errors',
        );
      const r = rendererFor(deps, req);
      res.json(
        paginate(
          req,
          all().filter((o) => o.name.toLowerCase().startsWith(prefix)),
          'organizations',
          (o) => r.organization(o),
        ),
      );
    }),
  );

  router.post(
    '/organizations/create_or_update',
    handle((req, res) => {
      const { organization, created } = createOrUpdateOrganization(store, bodyRoot(req, 'organization'));
      res
        .status(created ? 201 : 200)
        .json({ organization: rendererFor(deps, req).organization(organization) });
    }),
  );

  router.post(
    '/organizations/create_many',
    handle((req, res) => {
      const inputs = bodyList(req.body, 'organizations');
      const job = deps.jobs.submit(
        'Bulk Create Organizations',
        inputs.map((input) => (index) => ({ index, id: createOrganization(store, input).id })),
      );
      res.json({ job_status: rendererFor(deps, req).job(job) });
    }),
  );

  router.put(
    '/organizations/update_many',
    handle((req, res) => {
      const targets = updateManyTargets(
        req,
        { single: 'organization', plural: 'organizations' },
        (ext) => findOrganizationByExternalId(store, ext)[0]?.id,
      );
      const job = submitUpdateMany(deps.jobs, 'Bulk Update Organizations', targets, (id, input) =>
        updateOrganization(store, id, input),
      );
      res.json({ job_status: rendererFor(deps, req).job(job) });
    }),
  );

  // "Returns an approximate count of organizations. If the count exceeds 100,000, it is updated every 24
  // hours" (OAS, CountOrganizations): below that it is live, refreshed now.
  router.get(
    '/organizations/count',
    handle((_req, res) => {
      res.json({ count: { value: store.organizations.size, refreshed_at: store.timestamp() } });
    }),
  );

  router.get(
    '/organizations/:organization_id/related',
    handle((req, res) => {
      const org = getOrganization(store, pathId(req, 'organization_id'));
      const users = new Set(
        [...store.memberships.values()].filter((m) => m.organization_id === org.id).map((m) => m.user_id),
      );
      // The sandbox has no tickets.
      res.json({ organization_related: { tickets_count: 0, users_count: users.size } });
    }),
  );

  router.get(
    '/organizations/:organization_id',
    handle((req, res) => {
      res.json({
        organization: rendererFor(deps, req).organization(
          getOrganization(store, pathId(req, 'organization_id')),
        ),
      });
    }),
  );

  router.put(
    '/organizations/:organization_id',
    handle((req, res) => {
      const org = updateOrganization(store, pathId(req, 'organization_id'), bodyRoot(req, 'organization'));
      res.json({ organization: rendererFor(deps, req).organization(org) });
    }),
  );

  router.delete(
    '/organizations/:organization_id',
    handle((req, res) => {
      const org = getOrganization(store, pathId(req, 'organization_id'));
      store.organizations.delete(org.id);
      // Members' default moves to another of their organizations (Managing users in multiple
      // organizations, https://support.zendesk.com/hc/en-us/articles/204281156).
      for (const m of [...store.memberships.values()])
        if (m.organization_id === org.id) deleteMembership(store, m);
      store.touch('organization', org.id);
      store.changed();
      res.status(204).end();
    }),
  );
}
