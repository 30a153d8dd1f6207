/**
 * Editing custom field definitions after creation in the Zendesk sandbox, through the real endpoints:
 * `PUT /{organization,user}_fields/{id|key}` replaces the option list (OAS UpdateOrganizationField /
 * UpdateUserField: "All options must be passed on update. Options that are not passed will be removed"),
 * the user field options endpoints (OAS ListUserFieldOptions, CreateOrUpdateUserFieldOption,
 * ShowUserFieldOption, DeleteUserFieldOption), and `GET|PUT /account/settings` for phone validation.
 * Every request body and 2xx response is checked against Zendesk's OAS (zendesk-openapi.ts).
 */
import assert from 'node:assert/strict';
import type { Got } from 'got';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk/index';
import { checkedOperations, zendeskTestClient } from '../helpers/zendesk-openapi';

interface Option {
  id: number;
  name: string;
  value: string;
  position: number;
}
interface Field {
  id: number;
  key: string;
  type: string;
  title: string;
  custom_field_options?: Option[];
}
interface ErrorBody {
  error: string;
  details?: Record<string, unknown>;
}

describe('Zendesk sandbox: editing field definitions and options', function () {
  this.timeout(20_000);
  let sandbox: ZendeskSandbox;
  let zd: Got;

  before(async () => {
    sandbox = await startZendeskSandbox({ port: 0 });
    zd = zendeskTestClient(sandbox.url);
  });
  after(async () => {
    await sandbox.close();
  });

  const createField = async (owner: 'organization' | 'user', field: Record<string, unknown>) => {
    const res = await zd.post<Record<string, Field>>(`${owner}_fields`, {
      json: { [`${owner}_field`]: field },
    });
    assert.equal(res.statusCode, 201, JSON.stringify(res.body));
    return res.body[`${owner}_field`]!;
  };
  const industry = (key: string) =>
    createField('organization', {
      key,
      type: 'dropdown',
      title: 'Industry',
      custom_field_options: [
        { name: 'Technology', value: 'technology' },
        { name: 'Energy', value: 'energy' },
      ],
    });

  it('PUT with the whole option list adds, keeps (by id), reorders and removes options', async () => {
    const field = await industry('industry_put');
    const [tech, energy] = field.custom_field_options!;
    const org = await zd.post<{ organization: { id: number } }>('organizations', {
      json: { organization: { name: 'Energy Co', organization_fields: { industry_put: 'energy' } } },
    });
    assert.equal(org.statusCode, 201);

    // Before: a value without an option is refused with the field's own detail.
    const refused = await zd.post<ErrorBody>('organizations', {
      json: { organization: { name: 'Retail Co', organization_fields: { industry_put: 'retail' } } },
    });
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(Object.keys(refused.body.details ?? {}), ['industry_put']);

    const put = await zd.put<{ organization_field: Field }>(`organization_fields/${field.id}`, {
      json: {
        organization_field: {
          custom_field_options: [
            { id: null, name: 'Retail', value: 'retail' },
            { id: tech!.id, name: 'Tech', value: 'technology' },
          ],
        },
      },
    });
    assert.equal(put.statusCode, 200, JSON.stringify(put.body));
    const options = put.body.organization_field.custom_field_options!;
    assert.deepEqual(
      options.map((o) => [o.name, o.value, o.position]),
      [
        ['Retail', 'retail', 0],
        ['Tech', 'technology', 1],
      ],
    );
    assert.equal(options[1]!.id, tech!.id, 'an option passed with its id keeps it');
    assert.ok(!options.some((o) => o.id === energy!.id), 'an option left out is removed');

    // The removed option's value left the organization that held it; the new option is usable at once.
    const after = await zd.get<{ organization: { organization_fields: Record<string, unknown> } }>(
      `organizations/${org.body.organization.id}`,
    );
    assert.equal(after.body.organization.organization_fields.industry_put, null);
    const retail = await zd.post('organizations', {
      json: { organization: { name: 'Retail Co', organization_fields: { industry_put: 'retail' } } },
    });
    assert.equal(retail.statusCode, 201);

    // By key as well as by id (OAS: "The ID or key of the organization field").
    const byKey = await zd.get<{ organization_field: Field }>('organization_fields/industry_put');
    assert.equal(byKey.body.organization_field.id, field.id);
  });

  it('refuses an option list with a duplicate value or without options, changing nothing', async () => {
    const field = await industry('industry_bad');
    const dup = await zd.put<ErrorBody>(`organization_fields/${field.id}`, {
      json: {
        organization_field: {
          custom_field_options: [
            { name: 'A', value: 'same' },
            { name: 'B', value: 'same' },
          ],
        },
      },
    });
    assert.equal(dup.statusCode, 422);
    assert.equal(dup.body.error, 'RecordInvalid');
    const empty = await zd.put<ErrorBody>(`organization_fields/${field.id}`, {
      json: { organization_field: { custom_field_options: [] } },
    });
    assert.equal(empty.statusCode, 422);
    const now = await zd.get<{ organization_field: Field }>(`organization_fields/${field.id}`);
    assert.deepEqual(
      now.body.organization_field.custom_field_options!.map((o) => o.value),
      ['technology', 'energy'],
    );
  });

  it('PUT leaves key and type alone and 404s an unknown field', async () => {
    const field = await industry('industry_fixed');
    const put = await zd.put<{ organization_field: Field }>(`organization_fields/${field.id}`, {
      json: { organization_field: { title: 'Sector', key: 'renamed', type: 'text' } },
    });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(
      [put.body.organization_field.title, put.body.organization_field.key, put.body.organization_field.type],
      ['Sector', 'industry_fixed', 'dropdown'],
    );
    const missing = await zd.put(`organization_fields/999`, {
      json: { organization_field: { title: 'x' } },
    });
    assert.equal(missing.statusCode, 404);
  });

  it('user field options: list, create (201), update by id (200), show, delete (204)', async () => {
    const field = await createField('user', {
      key: 'plan',
      type: 'dropdown',
      title: 'Plan',
      custom_field_options: [{ name: 'Gold', value: 'gold' }],
    });
    const user = await zd.post<{ user: { id: number } }>('users', {
      json: { user: { name: 'Planned', user_fields: { plan: 'gold' } } },
    });
    assert.equal(user.statusCode, 201);

    const created = await zd.post<{ custom_field_option: Option }>(`user_fields/${field.id}/options`, {
      json: { custom_field_option: { name: 'Silver', value: 'silver' } },
    });
    assert.equal(created.statusCode, 201);
    assert.match(
      String(created.headers.location),
      new RegExp(`/api/v2/user_fields/${field.id}/options\\.json$`),
    );
    assert.deepEqual(
      [created.body.custom_field_option.value, created.body.custom_field_option.position],
      ['silver', 1],
    );

    const gold = field.custom_field_options![0]!;
    const updated = await zd.post<{ custom_field_option: Option }>(`user_fields/${field.id}/options`, {
      json: { custom_field_option: { id: gold.id, name: 'Gold plan', value: 'gold' } },
    });
    assert.equal(updated.statusCode, 200);
    assert.deepEqual(
      [updated.body.custom_field_option.id, updated.body.custom_field_option.name],
      [gold.id, 'Gold plan'],
    );

    const list = await zd.get<{ custom_field_options: Option[]; count: number }>(`user_fields/plan/options`);
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.body.custom_field_options.map((o) => o.value),
      ['gold', 'silver'],
    );
    assert.equal(list.body.count, 2);

    const shown = await zd.get<{ custom_field_option: Option }>(
      `user_fields/${field.id}/options/${created.body.custom_field_option.id}`,
    );
    assert.equal(shown.body.custom_field_option.name, 'Silver');

    // Deleting an option takes its value off the users that held it.
    const deleted = await zd.delete(`user_fields/${field.id}/options/${gold.id}`);
    assert.equal(deleted.statusCode, 204);
    const after = await zd.get<{ user: { user_fields: Record<string, unknown> } }>(
      `users/${user.body.user.id}`,
    );
    assert.equal(after.body.user.user_fields.plan, null);
    const gone = await zd.get(`user_fields/${field.id}/options/${gold.id}`);
    assert.equal(gone.statusCode, 404);
  });

  it('organization fields have no options endpoint (none in the OAS)', async () => {
    const field = await industry('industry_noopts');
    const res = await zd.get<ErrorBody>(`organization_fields/${field.id}/options`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.body.error, 'InvalidEndpoint');
  });

  it('DELETE removes a field and its values', async () => {
    const field = await createField('organization', { key: 'motto', type: 'text', title: 'Motto' });
    const org = await zd.post<{ organization: { id: number } }>('organizations', {
      json: { organization: { name: 'Motto Co', organization_fields: { motto: 'onwards' } } },
    });
    assert.equal((await zd.delete(`organization_fields/${field.id}`)).statusCode, 204);
    const list = await zd.get<{ organization_fields: Field[] }>('organization_fields');
    assert.ok(!list.body.organization_fields.some((f) => f.key === 'motto'));
    const after = await zd.get<{ organization: { organization_fields: Record<string, unknown> } }>(
      `organizations/${org.body.organization.id}`,
    );
    assert.ok(!('motto' in after.body.organization.organization_fields));
  });

  it('account settings show and change "Validate user phone numbers"', async () => {
    const before = await zd.get<{ settings: { user: { end_user_phone_number_validation: boolean } } }>(
      'account/settings',
    );
    assert.equal(before.statusCode, 200);
    assert.equal(before.body.settings.user.end_user_phone_number_validation, false);
    const put = await zd.put<{ settings: { user: { end_user_phone_number_validation: boolean } } }>(
      'account/settings',
      { json: { settings: { user: { end_user_phone_number_validation: true } } } },
    );
    assert.equal(put.body.settings.user.end_user_phone_number_validation, true);
    assert.equal(sandbox.settings().validatePhoneNumbers, true);
    const refused = await zd.post<ErrorBody>('users', {
      json: { user: { name: 'Phoney', phone: '415 555 0100' } },
    });
    assert.equal(refused.statusCode, 422);
    sandbox.updateSettings({ validatePhoneNumbers: false });
  });

  describe('OAS coverage', () => {
    it('validated these operations against the OAS', () => {
      for (const op of [
        'UpdateOrganizationField',
        'ShowOrganizationField',
        'DeleteOrganizationField',
        'ListUserFieldOptions',
        'CreateOrUpdateUserFieldOption',
        'ShowUserFieldOption',
        'DeleteUserFieldOption',
        'ShowAccountSettings',
        'UpdateAccountSettings',
      ])
        assert.ok(checkedOperations.has(op), `${op} was never checked`);
    });
  });
});
