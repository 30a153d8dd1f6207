/** Loads generated seed data into the record store (validated like API inserts, CDC off by default). */
import { generateSalesforceSeed, type SalesforceSeedOptions } from '../seed/salesforce-seed';
import { WriteTransaction, type RecordStore } from './store';

export interface SeedSummary {
  accounts: number;
  contacts: number;
  leads: number;
}

export function loadSalesforceSeed(
  store: RecordStore,
  opts: SalesforceSeedOptions,
  publish = false,
): SeedSummary {
  const data = generateSalesforceSeed(opts);
  const tx = new WriteTransaction({ changeOrigin: '', publish });
  const summary: SeedSummary = { accounts: 0, contacts: 0, leads: 0 };
  const dates = (r: { createdDate: string; lastModifiedDate: string }) => ({
    CreatedDate: r.createdDate,
    LastModifiedDate: r.lastModifiedDate,
  });
  for (const account of data.accounts) {
    const accountId = store.insertSeed('Account', account.fields, dates(account), tx);
    summary.accounts += 1;
    for (const contact of account.contacts) {
      store.insertSeed('Contact', { ...contact.fields, AccountId: accountId }, dates(contact), tx);
      summary.contacts += 1;
    }
  }
  for (const lead of data.leads) {
    store.insertSeed('Lead', lead.fields, dates(lead), tx);
    summary.leads += 1;
  }
  return summary;
}
