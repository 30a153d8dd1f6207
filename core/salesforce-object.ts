/**
 * The Salesforce objects the sync reads: Accounts become Zendesk organizations, Contacts or Leads users.
 * Declared once here; workflows, activities and the CLI import it.
 */
export const SALESFORCE_OBJECTS = ['Account', 'Contact', 'Lead'] as const;

export type SalesforceObject = (typeof SALESFORCE_OBJECTS)[number];
