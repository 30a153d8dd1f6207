import assert from 'node:assert/strict';
import {
  evaluateCondition,
  evaluateFilters,
  fieldTypesOf,
  type FilterCondition,
  type FilterOperator,
} from '../../core';
import { ACCOUNT_FIELDS } from './core-fixtures';

const types = fieldTypesOf(ACCOUNT_FIELDS);
const holds = (
  field: string,
  operator: FilterOperator,
  value: string | undefined,
  record: Record<string, unknown>,
) => evaluateCondition({ field, operator, ...(value === undefined ? {} : { value }) }, record, types);

describe('core/filters', () => {
  describe('groups', () => {
    const customer: FilterCondition = { field: 'Type', operator: 'is', value: 'Customer - Direct' };
    const big: FilterCondition = { field: 'NumberOfEmployees', operator: 'greater_than', value: '100' };
    const tech: FilterCondition = { field: 'Industry', operator: 'is', value: 'Technology' };
    const record = { Type: 'Customer - Direct', NumberOfEmployees: 50, Industry: 'Retail' };

    it('no filters: every record is in scope', () => {
      assert.deepEqual(evaluateFilters({ all: [], any: [] }, {}, types), { pass: true, reasons: [] });
    });

    it('ALL needs every condition', () => {
      assert.equal(evaluateFilters({ all: [customer], any: [] }, record, types).pass, true);
      const result = evaluateFilters({ all: [customer, big], any: [] }, record, types);
      assert.deepEqual(result, {
        pass: false,
        reasons: ["all[1]: NumberOfEmployees greater_than '100' failed (value: 50)"],
      });
    });

    it('ANY needs at least one condition; an empty ANY passes', () => {
      assert.equal(evaluateFilters({ all: [], any: [big, customer] }, record, types).pass, true);
      const result = evaluateFilters({ all: [], any: [big, tech] }, record, types);
      assert.deepEqual(result, {
        pass: false,
        reasons: [
          "any: none of the conditions hold (NumberOfEmployees greater_than '100' failed (value: 50); Industry is 'Technology' failed (value: \"Retail\"))",
        ],
      });
    });

    it('ALL and ANY combine', () => {
      assert.equal(
        evaluateFilters({ all: [customer], any: [big, tech] }, { ...record, Industry: 'Technology' }, types)
          .pass,
        true,
      );
      const both = evaluateFilters({ all: [tech], any: [big] }, record, types);
      assert.equal(both.pass, false);
      assert.equal(both.reasons.length, 2);
    });
  });

  describe('is / is_not', () => {
    it('compares text case-sensitively and treats a comma list as any-of', () => {
      const any = 'Customer - Direct,Technology Partner';
      assert.equal(holds('Type', 'is', any, { Type: 'Technology Partner' }), true);
      assert.equal(holds('Type', 'is', any, { Type: 'Prospect' }), false);
      assert.equal(holds('Type', 'is', 'customer - direct', { Type: 'Customer - Direct' }), false);
      assert.equal(holds('Type', 'is_not', any, { Type: 'Prospect' }), true);
      assert.equal(holds('Type', 'is_not', any, { Type: 'Technology Partner' }), false);
    });

    it('an empty field is never equal, so is fails and is_not passes (SOQL null semantics)', () => {
      assert.equal(holds('Type', 'is', 'Customer - Direct', { Type: null }), false);
      assert.equal(holds('Type', 'is_not', 'Customer - Direct', { Type: null }), true);
      assert.equal(holds('Type', 'is_not', 'Customer - Direct', {}), true);
    });

    it('compares numbers numerically', () => {
      assert.equal(holds('NumberOfEmployees', 'is', '100', { NumberOfEmployees: 100 }), true);
      assert.equal(holds('Rating__c', 'is', '4.50', { Rating__c: 4.5 }), true);
      assert.equal(holds('NumberOfEmployees', 'is_not', '100', { NumberOfEmployees: 99 }), true);
    });

    it('compares checkboxes as booleans; false is a value, not empty', () => {
      assert.equal(holds('Active__c', 'is', 'true', { Active__c: true }), true);
      assert.equal(holds('Active__c', 'is', 'false', { Active__c: false }), true);
      assert.equal(holds('Active__c', 'is', 'true', { Active__c: false }), false);
      assert.equal(holds('Active__c', 'is_not', 'true', { Active__c: false }), true);
      assert.equal(holds('Active__c', 'is_empty', undefined, { Active__c: false }), false);
    });

    it('compares dates and datetimes as points in time', () => {
      assert.equal(holds('Since__c', 'is', '2024-01-31', { Since__c: '2024-01-31' }), true);
      assert.equal(
        holds('LastSeen__c', 'is', '2024-01-31T10:00:00Z', { LastSeen__c: '2024-01-31T10:00:00.000+0000' }),
        true,
      );
      assert.equal(
        holds('LastSeen__c', 'is', '2024-01-31T12:00:00+02:00', {
          LastSeen__c: '2024-01-31T10:00:00.000+0000',
        }),
        true,
      );
    });

    it('multi-picklist is: one of the values is selected; is_not: none is selected', () => {
      const record = { Segment__c: 'Enterprise;Mid Market' };
      assert.equal(holds('Segment__c', 'is', 'SMB,Enterprise', record), true);
      assert.equal(holds('Segment__c', 'is', 'SMB', record), false);
      assert.equal(holds('Segment__c', 'is', 'Mid Market', record), true);
      assert.equal(
        holds('Segment__c', 'is', 'Enterprise;Mid Market', record),
        false,
        'values are single options',
      );
      assert.equal(holds('Segment__c', 'is_not', 'SMB', record), true);
      assert.equal(holds('Segment__c', 'is_not', 'SMB,Enterprise', record), false);
    });
  });

  describe('contains / not_contains / starts_with', () => {
    it('matches substrings case-sensitively, any-of for lists', () => {
      assert.equal(holds('Name', 'contains', 'Corp', { Name: 'Acme Corp' }), true);
      assert.equal(holds('Name', 'contains', 'corp', { Name: 'Acme Corp' }), false);
      assert.equal(holds('Name', 'contains', 'Inc,Corp', { Name: 'Acme Corp' }), true);
      assert.equal(holds('Name', 'not_contains', 'Inc,Ltd', { Name: 'Acme Corp' }), true);
      assert.equal(holds('Name', 'not_contains', 'Inc,Corp', { Name: 'Acme Corp' }), false);
      assert.equal(holds('Name', 'starts_with', 'Acme', { Name: 'Acme Corp' }), true);
      assert.equal(holds('Name', 'starts_with', 'Corp,Ac', { Name: 'Acme Corp' }), true);
      assert.equal(holds('Name', 'starts_with', 'acme', { Name: 'Acme Corp' }), false);
    });

    it('an empty field contains nothing', () => {
      assert.equal(holds('Name', 'contains', 'a', { Name: '' }), false);
      assert.equal(holds('Name', 'starts_with', 'a', { Name: null }), false);
      assert.equal(holds('Name', 'not_contains', 'a', { Name: null }), true);
    });

    it('tests the raw ;-joined string of a multi-picklist', () => {
      assert.equal(holds('Segment__c', 'contains', 'Market', { Segment__c: 'SMB;Mid Market' }), true);
      assert.equal(holds('Segment__c', 'starts_with', 'SMB;', { Segment__c: 'SMB;Mid Market' }), true);
    });
  });

  describe('greater_than / less_than', () => {
    it('compares numbers numerically, not as text', () => {
      assert.equal(holds('NumberOfEmployees', 'greater_than', '9', { NumberOfEmployees: 10 }), true);
      assert.equal(holds('NumberOfEmployees', 'less_than', '9', { NumberOfEmployees: 10 }), false);
      assert.equal(
        holds('NumberOfEmployees', 'greater_than', '10', { NumberOfEmployees: 10 }),
        false,
        'strict',
      );
      assert.equal(holds('Rating__c', 'less_than', '4.75', { Rating__c: '4.5' }), true);
      assert.equal(holds('Pct__c', 'greater_than', '-1', { Pct__c: 0 }), true);
    });

    it('compares dates and datetimes chronologically', () => {
      assert.equal(holds('Since__c', 'greater_than', '2024-01-31', { Since__c: '2024-02-01' }), true);
      assert.equal(holds('Since__c', 'less_than', '2024-01-31', { Since__c: '2023-12-31' }), true);
      assert.equal(
        holds('LastSeen__c', 'greater_than', '2024-01-31', { LastSeen__c: '2024-01-31T00:00:01.000+0000' }),
        true,
      );
      assert.equal(
        holds('LastSeen__c', 'less_than', '2024-01-31T10:00:00Z', {
          LastSeen__c: '2024-01-31T11:00:00.000+0200',
        }),
        true,
      );
    });

    it('an empty or unparseable value fails both', () => {
      assert.equal(holds('NumberOfEmployees', 'greater_than', '1', { NumberOfEmployees: null }), false);
      assert.equal(holds('NumberOfEmployees', 'less_than', '1', {}), false);
      assert.equal(holds('Since__c', 'less_than', '2024-01-31', { Since__c: 'soon' }), false);
    });
  });

  describe('is_empty / is_not_empty', () => {
    it('treats null, missing and blank text as empty', () => {
      for (const value of [null, undefined, '', '  ']) {
        assert.equal(holds('Industry', 'is_empty', undefined, { Industry: value }), true, String(value));
        assert.equal(holds('Industry', 'is_not_empty', undefined, { Industry: value }), false, String(value));
      }
      assert.equal(
        holds('NumberOfEmployees', 'is_not_empty', undefined, { NumberOfEmployees: 0 }),
        true,
        '0 is a value',
      );
    });
  });

  it('reads fields case-insensitively and defaults unknown field types to text', () => {
    assert.equal(holds('type', 'is', 'Customer - Direct', { Type: 'Customer - Direct' }), true);
    assert.equal(
      evaluateCondition({ field: 'X__c', operator: 'is', value: '10' }, { X__c: '10.0' }, {}),
      false,
    );
    assert.equal(
      evaluateCondition({ field: 'X__c', operator: 'is', value: '10' }, { X__c: '10.0' }, { x__c: 'double' }),
      true,
    );
  });
});
