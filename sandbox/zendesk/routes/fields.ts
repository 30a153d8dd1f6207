/**
 * `/organization_fields` and `/user_fields`: custom field definitions (custom fields only, like Zendesk).
 * A field is addressed by id or key (OAS parameters OrganizationFieldId / UserFieldId: "The ID or key").
 * Dropdown options change through `PUT …/{id}` with the whole `custom_field_options` list, and for user
 * fields also through `…/{id}/options` (OAS ListUserFieldOptions, CreateOrUpdateUserFieldOption,
 * ShowUserFieldOption, DeleteUserFieldOption). The OAS has no options endpoints for organization fields,
 * so those paths answer 404 as unknown endpoints.
 */
import type { Request, Router } from 'express';
import {
  createFieldDefinition,
  deleteFieldDefinition,
  deleteFieldOption,
  findFieldDefinition,
  updateFieldDefinition,
  upsertFieldOption,
} from '../custom-fields';
import { fieldError, notFound } from '../errors';
import { bodyRoot, pathId } from '../input';
import type { FieldDefinition, FieldOption, FieldOwner } from '../types';
import { handle, originOf, paginate, rendererFor, type RouteDeps } from './http';

export function fieldRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps.ctx;
  for (const owner of ['organization', 'user'] as FieldOwner[]) {
    const plural = `${owner}_fields`;
    const single = `${owner}_field`;
    const fieldOf = (req: Request): FieldDefinition => {
      const raw = req.params.field_id;
      const field = typeof raw === 'string' ? findFieldDefinition(store, owner, raw) : undefined;
      if (!field) throw notFound();
      return field;
    };
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
        res.json({ [single]: rendererFor(deps, req).field(fieldOf(req)) });
      }),
    );
    router.put(
      `/${plural}/:field_id`,
      handle((req, res) => {
        const field = updateFieldDefinition(store, fieldOf(req), bodyRoot(req, single));
        res.json({ [single]: rendererFor(deps, req).field(field) });
      }),
    );
    router.delete(
      `/${plural}/:field_id`,
      handle((req, res) => {
        deleteFieldDefinition(store, fieldOf(req));
        res.status(204).end();
      }),
    );
  }

  // Options endpoints: user fields only (the OAS defines none for organization fields).
  const optionsOf = (req: Request): FieldDefinition => {
    const raw = req.params.field_id;
    const field = typeof raw === 'string' ? findFieldDefinition(store, 'user', raw) : undefined;
    if (!field) throw notFound();
    if (field.type !== 'dropdown' && field.type !== 'multiselect')
      throw fieldError(
        'custom_field_options',
        'InvalidValue',
        `Custom field options: a ${field.type} field has none`,
      );
    return field;
  };
  const renderOption = (req: Request, field: FieldDefinition, o: FieldOption) => ({
    id: o.id,
    name: o.name,
    raw_name: o.name,
    value: o.value,
    position: o.position,
    url: `${originOf(req)}/api/v2/user_fields/${field.id}/options/${o.id}.json`,
  });
  router.get(
    '/user_fields/:field_id/options',
    handle((req, res) => {
      const field = optionsOf(req);
      res.json(
        paginate(req, field.custom_field_options, 'custom_field_options', (o) => renderOption(req, field, o)),
      );
    }),
  );
  router.post(
    '/user_fields/:field_id/options',
    handle((req, res) => {
      const field = optionsOf(req);
      const { option, created } = upsertFieldOption(store, field, bodyRoot(req, 'custom_field_option'));
      const updated = store.fields.get(field.id)!;
      res
        .status(created ? 201 : 200)
        .set('Location', `${originOf(req)}/api/v2/user_fields/${field.id}/options.json`)
        .json({ custom_field_option: renderOption(req, updated, option) });
    }),
  );
  router.get(
    '/user_fields/:field_id/options/:option_id',
    handle((req, res) => {
      const field = optionsOf(req);
      const option = field.custom_field_options.find((o) => o.id === pathId(req, 'option_id'));
      if (!option) throw notFound();
      res.json({ custom_field_option: renderOption(req, field, option) });
    }),
  );
  router.delete(
    '/user_fields/:field_id/options/:option_id',
    handle((req, res) => {
      if (!deleteFieldOption(store, optionsOf(req), pathId(req, 'option_id'))) throw notFound();
      res.status(204).end();
    }),
  );
}
