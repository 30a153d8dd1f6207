/**
 * `/organizations/{id}/tags` and `/users/{id}/tags`: GET lists, PUT adds, POST sets (replaces), DELETE
 * removes. Status codes follow the OAS for the ticket variant of these operations (POST 201, DELETE 204).
 */
import type { Request, Router } from 'express';
import { badRequest } from '../errors';
import { isRecord, pathId } from '../input';
import { getOrganization } from '../organizations';
import { applyTagOperation, normalizeTags, type TagOperation } from '../tags';
import { getUser } from '../users';
import { handle, type RouteDeps } from './http';

function bodyTags(req: Request): string[] {
  const body: unknown = req.body;
  if (!isRecord(body) || body.tags === undefined)
    throw badRequest('The request body must be a JSON object with a "tags" array');
  return normalizeTags(body.tags);
}

export function tagRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps.ctx;
  const targets = [
    {
      path: '/organizations/:id/tags',
      kind: 'organization' as const,
      record: (id: number) => getOrganization(store, id),
    },
    { path: '/users/:id/tags', kind: 'user' as const, record: (id: number) => getUser(store, id) },
  ];
  const verbs: { method: 'put' | 'post' | 'delete'; op: TagOperation; status: number }[] = [
    { method: 'put', op: 'add', status: 200 },
    { method: 'post', op: 'set', status: 201 },
    { method: 'delete', op: 'remove', status: 204 },
  ];
  for (const target of targets) {
    router.get(
      target.path,
      handle((req, res) => {
        res.json({ tags: [...target.record(pathId(req, 'id')).tags] });
      }),
    );
    for (const verb of verbs) {
      router[verb.method](
        target.path,
        handle((req, res) => {
          const record = target.record(pathId(req, 'id'));
          record.tags = applyTagOperation(record.tags, verb.op, bodyTags(req));
          record.updated_at = store.timestamp();
          store.touch(target.kind, record.id);
          store.changed();
          if (verb.status === 204) res.status(204).end();
          else res.status(verb.status).json({ tags: [...record.tags] });
        }),
      );
    }
  }
}
