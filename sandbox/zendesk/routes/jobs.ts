/** `/job_statuses`: poll bulk jobs one by one or several at once. */
import type { Router } from 'express';
import { badRequest, notFound } from '../errors';
import { queryList } from '../input';
import { handle, rendererFor, type RouteDeps } from './http';

export function jobRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps.ctx;

  router.get(
    '/job_statuses',
    handle((req, res) => {
      const r = rendererFor(deps, req);
      res.json({ job_statuses: [...store.jobs.values()].reverse().map((j) => r.job(j)) });
    }),
  );

  router.get(
    '/job_statuses/show_many',
    handle((req, res) => {
      const ids = queryList(req, 'ids');
      if (ids === undefined) throw badRequest('ids is required');
      const r = rendererFor(deps, req);
      const jobs = ids.map((id) => store.jobs.get(id)).filter((j) => j !== undefined);
      res.json({ job_statuses: jobs.map((j) => r.job(j)) });
    }),
  );

  router.get(
    '/job_statuses/:job_status_id',
    handle((req, res) => {
      const job = store.jobs.get(String(req.params.job_status_id));
      if (!job) throw notFound();
      res.json({ job_status: rendererFor(deps, req).job(job) });
    }),
  );
}
