/**
 * `/__sandbox/cometd` control routes: let tests and chaos runs drop sessions, inject gap and overflow
 * events, look at the retained window, and set the daily event delivery allocation.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import type { CdcEntity } from '../change-events';
import type { CdcFeed } from './index';

const entityName = z.enum(['Account', 'Contact', 'Lead'] satisfies CdcEntity[]);

const dropsBody = z.object({
  // Below ~10 ms clients could never finish a handshake and the timer would just burn CPU.
  everyMs: z
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 10, 'everyMs must be 0 (stop) or at least 10 milliseconds'),
});
const gapBody = z.object({
  entityName,
  changeType: z.enum(['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE']),
  recordIds: z.array(z.string().min(1)).min(1, 'recordIds must name at least one record'),
});
const overflowBody = z.object({ entityName });
const allocationBody = z.object({
  dailyMax: z.number().int().min(0, 'dailyMax must be 0 or more'),
  /** Forget the deliveries counted so far (a new 24-hour window). */
  resetUsage: z.boolean().optional(),
});

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

type Feed = Pick<
  CdcFeed,
  'disconnectAll' | 'dropEvery' | 'publishGap' | 'publishOverflow' | 'retained' | 'reset' | 'deliveries'
>;

export function createControlRouter(feed: Feed): Router {
  const router = express.Router();
  // The REST app parses JSON already; this makes the router usable on its own too (express.json skips parsed bodies).
  router.use(express.json());

  const parse = <T>(schema: z.ZodType<T>, body: unknown, res: express.Response): T | undefined => {
    const result = schema.safeParse(body ?? {});
    if (result.success) return result.data;
    res.status(400).json({ error: 'INVALID_CONTROL_REQUEST', message: describe(result.error) });
    return undefined;
  };

  router.post('/disconnect', (_req, res) => {
    res.json({ disconnected: feed.disconnectAll() });
  });
  router.post('/drops', (req, res) => {
    const body = parse(dropsBody, req.body, res);
    if (!body) return;
    feed.dropEvery(body.everyMs);
    res.json({ everyMs: body.everyMs });
  });
  router.post('/gap', (req, res) => {
    const body = parse(gapBody, req.body, res);
    if (!body) return;
    const event = feed.publishGap(body.entityName, body.changeType, body.recordIds);
    res.status(201).json(event);
  });
  router.post('/overflow', (req, res) => {
    const body = parse(overflowBody, req.body, res);
    if (!body) return;
    res.status(201).json(feed.publishOverflow(body.entityName));
  });
  // The daily event delivery allocation (limits: DailyDeliveredPlatformEvents), to test what happens past it.
  const allocation = () => ({
    dailyMax: feed.deliveries.dailyMax,
    used: feed.deliveries.used(),
    remaining: feed.deliveries.remaining(),
  });
  router.get('/delivery-allocation', (_req, res) => {
    res.json(allocation());
  });
  router.post('/delivery-allocation', (req, res) => {
    const body = parse(allocationBody, req.body, res);
    if (!body) return;
    feed.deliveries.setDailyMax(body.dailyMax);
    if (body.resetUsage) feed.deliveries.reset();
    res.json(allocation());
  });
  router.get('/events', (_req, res) => {
    res.json({ events: feed.retained() });
  });
  router.post('/reset', (_req, res) => {
    feed.reset();
    res.status(204).end();
  });
  return router;
}
