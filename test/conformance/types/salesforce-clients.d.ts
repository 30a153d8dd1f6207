// Just enough typing for the independent Salesforce client libraries the conformance suite drives;
// neither nforce8 nor simple-oauth2 ships declarations. Only the calls the suite makes are declared.

declare module 'nforce8' {
  export interface OAuth {
    access_token: string;
    instance_url: string;
    id: string;
    token_type: string;
    issued_at: string;
    signature: string;
    [key: string]: unknown;
  }

  export interface SObject {
    get(field: string): unknown;
    set(field: string, value: unknown): void;
    getId(): string | undefined;
    getType(): string | undefined;
  }

  export interface QueryResult<R> {
    totalSize: number;
    done: boolean;
    nextRecordsUrl?: string;
    records: R[];
  }

  type Call<T = object> = T & { oauth?: OAuth; headers?: Record<string, string> };

  export interface Connection {
    oauth: OAuth;
    authenticate(opts: { username: string; password: string }): Promise<OAuth>;
    insert(opts: Call<{ sobject: SObject }>): Promise<{ id: string; success: boolean; errors: unknown[] }>;
    update(opts: Call<{ sobject: SObject }>): Promise<unknown>;
    delete(opts: Call<{ sobject: SObject }>): Promise<unknown>;
    getRecord(opts: Call<{ type: string; id: string; fields?: string[] }>): Promise<SObject>;
    query(opts: Call<{ query: string; fetchAll?: boolean; raw?: boolean }>): Promise<QueryResult<SObject>>;
    getDescribe(
      opts: Call<{ type: string }>,
    ): Promise<{ name: string; fields: { name: string; type: string }[] }>;
    getSObjects(opts?: Call): Promise<{ sobjects: { name: string }[] }>;
    getLimits(opts?: Call): Promise<Record<string, { Max: number; Remaining: number }>>;
    search(opts: Call<{ search: string; raw?: boolean }>): Promise<unknown>;
    postUrl(opts: Call<{ url: string; body: unknown }>): Promise<unknown>;
  }

  export function createConnection(opts: {
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    loginUri: string;
    apiVersion?: string;
    mode?: 'single' | 'multi';
    environment?: 'production' | 'sandbox';
  }): Connection;

  export function createSObject(type: string, fields?: Record<string, unknown>): SObject;

  const nforce: { createConnection: typeof createConnection; createSObject: typeof createSObject };
  export default nforce;
}

declare module 'simple-oauth2' {
  export interface AccessToken {
    token: { access_token: string; instance_url: string; token_type: string; [key: string]: unknown };
  }
  export class ClientCredentials {
    constructor(config: {
      client: { id: string; secret: string };
      auth: { tokenHost: string; tokenPath?: string };
      options?: { authorizationMethod?: 'header' | 'body'; bodyFormat?: 'form' | 'json' };
    });
    getToken(params: { scope?: string | string[] }): Promise<AccessToken>;
  }
}
