import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemporalCli, TemporalCliNotFoundError } from '../../client/temporal-cli';

describe('Temporal CLI lookup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'temporal-cli-'));
  const fakeCli = join(dir, 'temporal');
  writeFileSync(fakeCli, '#!/bin/sh\necho fake\n');
  chmodSync(fakeCli, 0o755);
  const notExecutable = join(dir, 'not-executable');
  writeFileSync(notExecutable, '');
  const missingLocal = join(dir, 'missing', 'temporal');

  it('prefers TEMPORAL_CLI_PATH over PATH and the project-local install', () => {
    const found = findTemporalCli({ TEMPORAL_CLI_PATH: fakeCli, PATH: dir }, fakeCli);
    assert.deepEqual(found, { path: fakeCli, source: 'TEMPORAL_CLI_PATH' });
  });

  it('rejects a TEMPORAL_CLI_PATH that is not executable, saying what to do', () => {
    assert.throws(
      () => findTemporalCli({ TEMPORAL_CLI_PATH: notExecutable, PATH: '' }, missingLocal),
      (err: unknown) =>
        err instanceof TemporalCliNotFoundError &&
        err.code === 'TEMPORAL_CLI_NOT_FOUND' &&
        err.message.includes(`TEMPORAL_CLI_PATH=${notExecutable} is not an executable file`) &&
        err.message.includes('npm run setup:temporal'),
    );
  });

  it('finds `temporal` on PATH before the project-local install', () => {
    assert.deepEqual(findTemporalCli({ PATH: `/nonexistent:${dir}` }, fakeCli), {
      path: fakeCli,
      source: 'PATH',
    });
  });

  it('falls back to the project-local install, then to nothing', () => {
    assert.deepEqual(findTemporalCli({ PATH: '/nonexistent' }, fakeCli), {
      path: fakeCli,
      source: 'project-local',
    });
    assert.equal(findTemporalCli({ PATH: '/nonexistent' }, missingLocal), undefined);
  });
});
