// Mocha root hooks: shared fixtures that outlive a single test file.
import { teardownTemporalEnv } from './helpers/temporal-env';
import { teardownTimeSkippingEnv } from './helpers/time-skipping-env';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await Promise.all([teardownTemporalEnv(), teardownTimeSkippingEnv()]);
  },
};
