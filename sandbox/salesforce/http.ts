/** Response helpers that keep every error in Salesforce's REST shape. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SalesforceApiError } from './errors';
import { SoqlError } from '../../core/soql';
import { WriteTransaction } from './store';

export function sendSalesforceError(res: Response, status: number, errorCode: string, message: string): void {
  res.status(status).json([{ message, errorCode }]);
}

/** Wraps a handler so SalesforceApiError / SoqlError become their REST bodies; anything else goes to the 500 handler. */
export function handle(fn: (req: Request, res: Response) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      fn(req, res);
    } catch (err) {
      if (err instanceof SalesforceApiError) res.status(err.status).json(err.toBody());
      else if (err instanceof SoqlError) sendSalesforceError(res, 400, err.errorCode, err.message);
      else next(err);
    }
  };
}

/** The API version of the request (`60.0`), set by the REST guard. */
export const apiVersionOf = (res: Response): string => String(res.locals.apiVersion);
export const versionBase = (res: Response): string => `/services/data/v${apiVersionOf(res)}`;

/** CDC changeOrigin for a REST write: `com/salesforce/api/rest/<ver>[;client=<Sforce-Call-Options client>]`. */
export function changeOriginOf(req: Request, res: Response): string {
  const client = /(?:^|[,;\s])client\s*=\s*([^,;\s]+)/i.exec(req.get('sforce-call-options') ?? '')?.[1];
  const origin = `com/salesforce/api/rest/${apiVersionOf(res)}`;
  return client ? `${origin};client=${client}` : origin;
}

/**
 * The write transaction of a REST call: its own, or the one an allOrNone composite shares between its
 * subrequests (`res.locals.transaction`), so their changes carry one CDC transactionKey.
 */
export const transactionFor = (req: Request, res: Response): WriteTransaction =>
  (res.locals.transaction as WriteTransaction | undefined) ??
  new WriteTransaction({ changeOrigin: changeOriginOf(req, res) });

export const withAttributes = (
  type: string,
  base: string,
  id: string,
  record: Record<string, unknown>,
): Record<string, unknown> => ({
  attributes: { type, url: `${base}/sobjects/${type}/${id}` },
  ...record,
});
