import assert from 'node:assert/strict';
import { compileWhereClause, WhereClauseError } from '../../core/soql';

const fields = [
  { name: 'Id', type: 'id' },
  { name: 'Name', type: 'string' },
  { name: 'Type', type: 'picklist' },
  { name: 'NumberOfEmployees', type: 'int' },
  { name: 'CreatedDate', type: 'datetime' },
  { name: 'Description', type: 'textarea', filterable: false },
];

const compile = (clause: string) => compileWhereClause('Account', clause, fields);
const rejects = (clause: string, pattern: RegExp) =>
  assert.throws(
    () => compile(clause),
    (err: unknown) => err instanceof WhereClauseError && pattern.test(err.message),
  );

describe('user WHERE clauses (bulk resync --where)', () => {
  it('re-serializes a valid clause with canonical field names', () => {
    assert.equal(
      compile("type = 'Technology Partner' and numberofemployees > 100"),
      "(Type = 'Technology Partner' AND NumberOfEmployees > 100)",
    );
    assert.equal(
      compile("Type IN ('Technology Partner', 'Customer - Direct') OR (NOT Name LIKE 'Test%')"),
      "(Type IN ('Technology Partner', 'Customer - Direct') OR (NOT Name LIKE 'Test%'))",
    );
    assert.equal(compile('CreatedDate = LAST_N_DAYS:30'), 'CreatedDate = LAST_N_DAYS:30');
    assert.equal(compile('CreatedDate > 2024-01-01T00:00:00Z'), 'CreatedDate > 2024-01-01T00:00:00Z');
  });

  it('keeps quotes and backslashes inside a string literal escaped', () => {
    assert.equal(compile(String.raw`Name = 'O\'Brien \\ Sons'`), String.raw`Name = 'O\'Brien \\ Sons'`);
  });

  it('cannot be used to break out of the condition', () => {
    rejects("Name = 'x') OR (Name != null", /not a valid SOQL condition/);
    rejects("Name = 'x' LIMIT 1", /only conditions are allowed/);
    rejects("Name = 'x' ORDER BY Name", /only conditions are allowed/);
    rejects("Name = 'x' GROUP BY Name", /only conditions are allowed/);
    rejects("Id IN (SELECT AccountId FROM Contact WHERE LastName = 'x')", /subqueries are not supported/);
    rejects("toLabel(Type) = 'Partner'", /toLabel\(\) is not supported/);
    rejects("Name = 'x'; DELETE FROM Account", /not a valid SOQL condition/);
    rejects("Name = 'x' -- comment", /not a valid SOQL condition/);
  });

  it('names the field that does not exist or cannot be filtered', () => {
    rejects("Nmae = 'x'", /'Nmae' is not a field of Account/);
    rejects("Description = 'x'", /'Description' cannot be filtered on/);
    rejects("Owner.Name = 'x'", /relationship fields are not supported/);
  });

  it('rejects an empty clause', () => {
    rejects('   ', /empty/);
  });

  it('refuses a clause nested deeper than the parser can recurse, instead of overflowing the stack', () => {
    // A RangeError here used to fail the bulk resync's activity with an unclassified error, retried forever.
    rejects(`${'('.repeat(20_000)}Name = 'x'${')'.repeat(20_000)}`, /nested too deeply/);
    assert.equal(compile(`${'('.repeat(50)}Name = 'x'${')'.repeat(50)}`), "Name = 'x'");
  });
});
