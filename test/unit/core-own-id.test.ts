import assert from 'node:assert/strict';
import { isOwnExternalId, ownExternalIdForms, ownIdHolder } from '../../core';

describe('core/own-id (the Salesforce Id looked up as external_id)', () => {
  const id18 = '001Ab00000XyZ12AAC';
  const id15 = '001Ab00000XyZ12';

  it('looks up the 18- and the 15-character form together', () => {
    assert.deepEqual(ownExternalIdForms(id18), [id18, id15]);
    assert.deepEqual(ownExternalIdForms(id15), [id15]);
  });

  it('accepts the 18-character form in any case, the 15-character form only in its own case', () => {
    assert.equal(isOwnExternalId(id18, id18), true);
    assert.equal(isOwnExternalId(id18.toLowerCase(), id18), true, '18-character Ids are case-insensitive');
    assert.equal(isOwnExternalId(` ${id15} `, id18), true);
    assert.equal(isOwnExternalId(id15.toLowerCase(), id18), false, 'another account in 15-character form');
    assert.equal(isOwnExternalId('001Ab00000XyZ12AAD', id18), false);
    assert.equal(isOwnExternalId('001Ab00000XyZ1', id18), false);
    assert.equal(isOwnExternalId(null, id18), false);
    assert.equal(isOwnExternalId('', id18), false);
  });

  it('picks the holder of the 18-character form over one of the 15-character form, and nothing else', () => {
    const legacy = { id: 1, external_id: id15 };
    const current = { id: 2, external_id: id18.toUpperCase() };
    const other = { id: 3, external_id: id15.toLowerCase() };
    assert.equal(ownIdHolder([legacy, current, other], id18), current);
    assert.equal(ownIdHolder([other, legacy], id18), legacy);
    assert.equal(ownIdHolder([other], id18), undefined);
    assert.equal(ownIdHolder([], id18), undefined);
  });
});
