import assert from 'node:assert/strict';
import { isPersonContact, personAccountFields } from '../../core';

describe('core/person-accounts', () => {
  const withPA = [{ name: 'Id' }, { name: 'IsPersonAccount' }];
  it('adds IsPersonAccount to Contact queries only when the org has person accounts', () => {
    assert.deepEqual(personAccountFields('Contact', withPA, ['Id', 'Email']), ['IsPersonAccount']);
    assert.deepEqual(personAccountFields('Contact', [{ name: 'Id' }], ['Id']), [], 'no person accounts');
    assert.deepEqual(personAccountFields('Contact', withPA, ['Id', 'isPersonAccount']), [], 'already read');
    assert.deepEqual(personAccountFields('Account', withPA, ['Id']), [], 'accounts sync as they are');
    assert.deepEqual(personAccountFields('Lead', withPA, ['Id']), []);
  });

  it("tells a person account's own contact", () => {
    assert.equal(isPersonContact('Contact', { IsPersonAccount: true }), true);
    assert.equal(isPersonContact('Contact', { IsPersonAccount: false }), false);
    assert.equal(isPersonContact('Contact', {}), false, 'an org without person accounts');
    assert.equal(isPersonContact('Account', { IsPersonAccount: true }), false, 'a person account syncs');
  });
});
