/**
 * SOQL and SOSL over REST: `/query?q=` and `/queryAll?q=` run the SOQL engine; `/query/<locator>` pages
 * the rest; `/search?q=` runs a SOSL search.
 */
import type { Request, Response } from 'express';
import type { SalesforceContext } from './context';
import type { RestApi } from './rest-guard';
import { SalesforceApiError } from './errors';
import { apiVersionOf, handle, versionBase } from './http';
import { batchSizeFrom } from './query-cursors';
import { V } from './sobject-routes';
import { executeSoql, storeSoqlSource } from './soql';
import { runSosl } from './sosl';

export function registerQueryRoutes(api: RestApi, ctx: SalesforceContext): void {
  const run = (includeDeleted: boolean) =>
    handle((req: Request, res: Response) => {
      const q = req.query.q;
      if (typeof q !== 'string' || q.trim() === '') {
        throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      }
      const result = executeSoql(q, storeSoqlSource(ctx.store, includeDeleted), {
        apiVersion: apiVersionOf(res),
      });
      const batchSize = batchSizeFrom(req.get('sforce-query-options'));
      res.json(ctx.cursors.first(result.records, result.totalSize, batchSize, versionBase(res)));
    });
  const more = handle((req: Request, res: Response) => {
    res.json(ctx.cursors.next(String(req.params.locator), versionBase(res)));
  });

  api.get(
    `${V}/search`,
    handle((req: Request, res: Response) => {
      const q = req.query.q;
      if (typeof q !== 'string' || q.trim() === '') {
        throw new SalesforceApiError(
          400,
          'MALFORMED_SEARCH',
          'No search term found. The search term must be enclosed in braces.',
        );
      }
      res.json(runSosl(q, storeSoqlSource(ctx.store, false), apiVersionOf(res)));
    }),
  );
  api.get(`${V}/query`, run(false));
  api.get(`${V}/queryAll`, run(true));
  api.get(`${V}/query/:locator`, more);
  api.get(`${V}/queryAll/:locator`, more);
}
