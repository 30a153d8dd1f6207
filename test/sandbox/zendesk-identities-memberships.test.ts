/**
 * The Zendesk sandbox's identity endpoints (update, verify, request_verification, make_primary) and the
 * account's multiple-organizations setting. Every request and 2xx response is checked against the OAS.
 */
import assert from 'node:assert/strict';
import type { Got } from 'got';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk/index';
import { checkedOperations, zendeskTestClient } from '../helpers/zendesk-openapi';

interface Identity {
  id: number;
  type: string;
  value: string;
  verified: boolean;
  primary: boolean;
}
interface User {
  id: number;
  email: string | null;
  verified: boolean;
  organization_id: number | null;
}
interface Membership {
  organization_id: number;
  default: boolean | null;
}
interface ErrorBody {
  error: string | { title: string; message: string };
  details?: Record<string, { error: string; description: string }[]>;
}

describe('Zendesk sandbox: identities and organization memberships', function () {
  this.timeout(20_000);
  let sandbox: ZendeskSandbox;
  let zd: Got;

  before(async () => {
    sandbox = await startZendeskSandbox({ port: 0, seed: true });
    zd = zendeskTestClient(sandbox.url);
  });
  after(async () => {
    await sandbox.close();
  });

  const createUser = async (user: Record<string, unknown>) => {
    const res = await zd.post<{ user: User }>('users', { json: { user } });
    assert.equal(res.statusCode, 201, JSON.stringify(res.body));
    return res.body.user;
  };
  const identities = async (userId: number) =>
    (await zd.get<{ identities: Identity[] }>(`users/${userId}/identities`)).body.identities;
  const outbox = async () =>
    (
      await zd.get<{ outbox: { to: string; kind: string }[] }>(`${sandbox.url}/__sandbox/records/outbox`, {
        prefixUrl: '',
      })
    ).body.outbox;

  describe('identities', () => {
    it('PUT changes the value and verified, never primary; duplicates and bad formats are 422', async () => {
      const user = await createUser({
        name: 'Ident One',
        email: 'ident.one@example.com',
        skip_verify_email: true,
      });
      const [email] = await identities(user.id);
      assert.equal(email?.verified, false);
      const put = await zd.put<{ identity: Identity }>(`users/${user.id}/identities/${email?.id}`, {
        json: { identity: { value: 'ident.one+new@example.com', verified: true, primary: false } },
      });
      assert.equal(put.statusCode, 200, JSON.stringify(put.body));
      assert.equal(put.body.identity.value, 'ident.one+new@example.com');
      assert.equal(put.body.identity.verified, true);
      assert.equal(put.body.identity.primary, true, 'primary is not writable here');
      assert.equal(
        (await zd.get<{ user: User }>(`users/${user.id}`)).body.user.email,
        'ident.one+new@example.com',
      );
      // The current docs allow unverifying (verified: false or verification_method: "none").
      const unverified = await zd.put<{ identity: Identity }>(`users/${user.id}/identities/${email?.id}`, {
        json: { identity: { verification_method: 'none' } },
      });
      assert.equal(unverified.body.identity.verified, false);
      const taken = await zd.put<ErrorBody>(`users/${user.id}/identities/${email?.id}`, {
        json: { identity: { value: 'jane.doe@acme.example' } },
      });
      assert.equal(taken.statusCode, 422);
      assert.equal(taken.body.details?.value?.[0]?.error, 'DuplicateValue');
      const badFormat = await zd.put<ErrorBody>(`users/${user.id}/identities/${email?.id}`, {
        json: { identity: { value: 'not-an-email' } },
      });
      assert.equal(badFormat.statusCode, 422);
      assert.equal(badFormat.body.details?.value?.[0]?.error, 'InvalidFormat');
      const other = await createUser({ name: 'Ident Other', email: 'ident.other@example.com' });
      const foreign = await zd.put(`users/${other.id}/identities/${email?.id}`, {
        json: { identity: { verified: true } },
      });
      assert.equal(foreign.statusCode, 404, "another user's identity is not found");
    });

    it('verify sets verified (not for the account owner); request_verification sends an email', async () => {
      const user = await createUser({
        name: 'Ident Two',
        email: 'ident.two@example.com',
        skip_verify_email: true,
      });
      const [email] = await identities(user.id);
      const before = (await outbox()).filter((m) => m.to === 'ident.two@example.com').length;
      const requested = await zd.put(`users/${user.id}/identities/${email?.id}/request_verification.json`);
      assert.equal(requested.statusCode, 200);
      assert.equal(
        (await outbox()).filter((m) => m.to === 'ident.two@example.com' && m.kind === 'verify').length,
        before + 1,
      );
      const verified = await zd.put<{ identity: Identity }>(
        `users/${user.id}/identities/${email?.id}/verify`,
      );
      assert.equal(verified.statusCode, 200);
      assert.equal(verified.body.identity.verified, true);
      assert.equal((await zd.get<{ user: User }>(`users/${user.id}`)).body.user.verified, true);

      const owner = (await zd.get<{ user: User }>('users/me')).body.user;
      const [ownerEmail] = await identities(owner.id);
      const refused = await zd.put<ErrorBody>(`users/${owner.id}/identities/${ownerEmail?.id}/verify`);
      assert.equal(refused.statusCode, 403);
    });

    it('make_primary swaps the primary email and answers the whole collection', async () => {
      const user = await createUser({ name: 'Ident Three', email: 'ident.three@example.com' });
      const added = await zd.post<{ identity: Identity }>(`users/${user.id}/identities`, {
        json: { identity: { type: 'email', value: 'ident.three.b@example.com' } },
      });
      const res = await zd.put<{ identities: Identity[] }>(
        `users/${user.id}/identities/${added.body.identity.id}/make_primary`,
      );
      assert.equal(res.statusCode, 200);
      assert.deepEqual(
        res.body.identities.map((i) => [i.value, i.primary]),
        [
          ['ident.three@example.com', false],
          ['ident.three.b@example.com', true],
        ],
      );
    });
  });

  describe('multiple organizations', () => {
    const createOrg = async (name: string) => {
      const res = await zd.post<{ organization: { id: number } }>('organizations', {
        json: { organization: { name } },
      });
      assert.equal(res.statusCode, 201);
      return res.body.organization.id;
    };
    const settingsUser = async () =>
      (await zd.get<{ settings: { user: { multiple_organizations: boolean } } }>('account/settings')).body
        .settings.user;
    const membershipsOf = async (userId: number) =>
      (await zd.get<{ organization_memberships: Membership[] }>(`users/${userId}/organization_memberships`))
        .body.organization_memberships;

    it('off (a new account): one organization per user; organization_id moves the user', async () => {
      assert.equal(sandbox.settings().multipleOrganizations, false);
      assert.equal((await settingsUser()).multiple_organizations, false, 'GET account/settings says so');
      const [a, b] = [await createOrg('Single Org A'), await createOrg('Single Org B')];
      const user = await createUser({ name: 'Single', email: 'single@example.com', organization_id: a });
      assert.equal(user.organization_id, a);
      const second = await zd.post<ErrorBody>('organization_memberships', {
        json: { organization_membership: { user_id: user.id, organization_id: b } },
      });
      assert.equal(second.statusCode, 422);
      assert.equal(second.body.error, 'RecordInvalid');
      assert.notEqual(
        second.body.details?.user_id?.[0]?.error,
        'DuplicateValue',
        'not the same-organization error',
      );
      const moved = await zd.put<{ user: User }>(`users/${user.id}`, {
        json: { user: { organization_id: b } },
      });
      assert.equal(moved.body.user.organization_id, b);
      assert.deepEqual(
        (await membershipsOf(user.id)).map((m) => [m.organization_id, m.default]),
        [[b, true]],
      );
      // organization_ids is the multiple-organizations property: ignored while the setting is off.
      const ignored = await zd.put<{ user: User }>(`users/${user.id}`, {
        json: { user: { organization_ids: [a] } },
      });
      assert.equal(ignored.statusCode, 200);
      assert.deepEqual(
        (await membershipsOf(user.id)).map((m) => m.organization_id),
        [b],
      );
      // The seeded multi-org user has a single membership on such an account.
      const pat = await zd.get<{ users: User[] }>('users/search', {
        searchParams: { query: 'email:pat@shared.example' },
      });
      assert.equal((await membershipsOf(pat.body.users[0]?.id ?? 0)).length, 1);
    });

    it('on: several memberships, organization_ids on users, organization_id sets the default', async () => {
      sandbox.updateSettings({ multipleOrganizations: true });
      try {
        assert.equal((await settingsUser()).multiple_organizations, true, 'GET account/settings says so');
        const [a, b, c] = [
          await createOrg('Multi Org A'),
          await createOrg('Multi Org B'),
          await createOrg('Multi Org C'),
        ];
        const user = await createUser({
          name: 'Multi',
          email: 'multi@example.com',
          organization_ids: [a, b],
        });
        assert.equal(user.organization_id, a, 'the first membership is the default');
        const joined = await zd.post('organization_memberships', {
          json: { organization_membership: { user_id: user.id, organization_id: c } },
        });
        assert.equal(joined.statusCode, 201);
        const moved = await zd.put<{ user: User }>(`users/${user.id}`, {
          json: { user: { organization_id: b } },
        });
        assert.equal(moved.body.user.organization_id, b);
        assert.deepEqual(
          (await membershipsOf(user.id)).map((m) => [m.organization_id, m.default]),
          [
            [a, null],
            [b, true],
            [c, null],
          ],
        );
        const unknown = await zd.post<ErrorBody>('users', {
          json: { user: { name: 'Bad Ids', organization_ids: [a, 1] } },
        });
        assert.equal(unknown.statusCode, 422);
        assert.ok(unknown.body.details?.organization_ids);
      } finally {
        sandbox.updateSettings({ multipleOrganizations: false });
      }
    });
  });

  describe('OAS coverage', () => {
    it('validated these operations against the OAS', () => {
      for (const op of [
        'UpdateUserIdentity',
        'VerifyUserIdentity',
        'RequestUserVerfication',
        'MakeUserIdentityPrimary',
      ])
        assert.ok(checkedOperations.has(op), `${op} was never checked`);
    });
  });
});
