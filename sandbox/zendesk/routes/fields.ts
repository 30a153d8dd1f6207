/** `/organization_fields` and `/user_fields`: custom field definitions (custom fields only, like Zendesk). */
import type { Router } from 'express';
import { createFieldDefinition } from '../custom-fields';
import { notFound } from '../errors';
import { bodyRoot, pathId } from '../input';
import type { FieldOwner } from '../types';
import { handle, paginate, rendererFor, type RouteDeps } from './http';

export function fieldRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps.ctx;
  for (const owner of ['organization', 'user'] as FieldOwner[]) {
    const plural = `${owner}_fields`;
    const single = `${owner}_field`;
    router.get(
      `/${plural}`,
      handle((req, res) => {
        const r = rendererFor(deps, req);
        res.json(paginate(req, store.fieldsOf(owner), plural, (f) => r.field(f)));
      }),
    );
    router.post(
      `/${plural}`,
      handle((req, res) => {
        const field = createFieldDefinition(store, owner, bodyRoot(req, single));
        res.status(201).json({ [single]: rendererFor(deps, req).field(field) });
      }),
    );
    router.get(
      `/${plural}/:field_id`,
      handle((req, res) => {
        const field = store.fields.get(pathId(req, 'field_id'));
        if (!field || field.owner !== owner) throw notFound();
        res.json({ [single]: rendererFor(deps, req).field(field) });
      }),
    );
  }
}
