/**
 * `npm run demo -- touch <Account|Contact> [id]`: change a mapped field of a record in the Salesforce
 * sandbox through its REST API, as a Salesforce user would, so the change flows through CDC to Zendesk.
 */
import { Connection } from 'jsforce';

export interface TouchResult {
  object: 'Account' | 'Contact';
  id: string;
  change: string;
  workflowId: string;
}

export class DemoUsageError extends Error {
  override readonly name = 'DemoUsageError';
  readonly code = 'DEMO_USAGE';
}

export async function touchRecord(loginUrl: string, object: string, id?: string): Promise<TouchResult> {
  if (object !== 'Account' && object !== 'Contact')
    throw new DemoUsageError(`usage: npm run demo -- touch <Account|Contact> [id] (got '${object}')`);
  const conn = new Connection({
    oauth2: { clientId: 'sandbox', clientSecret: 'sandbox', loginUrl },
    loginUrl,
    version: '62.0',
  });
  await conn.authorize({ grant_type: 'client_credentials' });
  if (id !== undefined && !/^[a-zA-Z0-9]{15,18}$/.test(id))
    throw new DemoUsageError(`'${id}' is not a Salesforce ID`);
  const where = id ? ` WHERE Id = '${id}'` : '';
  if (object === 'Account') {
    const [rec] = (
      await conn.query<{ Id: string; NumberOfEmployees: number | null }>(
        `SELECT Id, NumberOfEmployees FROM Account${where} ORDER BY Id LIMIT 1`,
      )
    ).records;
    if (!rec) throw new DemoUsageError(`no Account${id ? ` ${id}` : ''} in the sandbox`);
    const next = (rec.NumberOfEmployees ?? 0) + 1;
    await conn.sobject('Account').update({ Id: rec.Id, NumberOfEmployees: next });
    return {
      object,
      id: rec.Id,
      change: `NumberOfEmployees = ${next}`,
      workflowId: `salesforce/Account/${rec.Id}`,
    };
  }
  const [rec] = (
    await conn.query<{ Id: string; Birthdate: string | null }>(
      `SELECT Id, Birthdate FROM Contact${where} ORDER BY Id LIMIT 1`,
    )
  ).records;
  if (!rec) throw new DemoUsageError(`no Contact${id ? ` ${id}` : ''} in the sandbox`);
  const day = new Date(`${rec.Birthdate ?? '1990-01-01'}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  const birthdate = day.toISOString().slice(0, 10);
  await conn.sobject('Contact').update({ Id: rec.Id, Birthdate: birthdate });
  return {
    object,
    id: rec.Id,
    change: `Birthdate = ${birthdate}`,
    workflowId: `salesforce/Contact/${rec.Id}`,
  };
}
