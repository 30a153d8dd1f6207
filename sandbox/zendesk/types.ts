/** The records the Zendesk sandbox keeps in memory (and in its optional snapshot file). */

export type UserRole = 'end-user' | 'agent' | 'admin';
export const USER_ROLES: readonly UserRole[] = ['end-user', 'agent', 'admin'];

export type IdentityType = 'email' | 'phone_number';

/** A custom field value as stored: multiselect keeps an array of option values. */
export type FieldValue = string | number | boolean | string[] | null;

export interface OrganizationRecord {
  id: number;
  name: string;
  external_id: string | null;
  details: string | null;
  notes: string | null;
  domain_names: string[];
  group_id: number | null;
  shared_tickets: boolean;
  shared_comments: boolean;
  tags: string[];
  organization_fields: Record<string, FieldValue>;
  created_at: string;
  updated_at: string;
}

export interface UserRecord {
  id: number;
  name: string;
  role: UserRole;
  external_id: string | null;
  details: string | null;
  notes: string | null;
  time_zone: string;
  locale: string;
  active: boolean;
  suspended: boolean;
  shared_phone_number: boolean | null;
  tags: string[];
  user_fields: Record<string, FieldValue>;
  created_at: string;
  updated_at: string;
}

export interface IdentityRecord {
  id: number;
  user_id: number;
  type: IdentityType;
  value: string;
  primary: boolean;
  verified: boolean;
  created_at: string;
  updated_at: string;
}

export interface MembershipRecord {
  id: number;
  user_id: number;
  organization_id: number;
  default: boolean;
  created_at: string;
  updated_at: string;
}

export type FieldOwner = 'organization' | 'user';

export const FIELD_TYPES = [
  'text',
  'textarea',
  'checkbox',
  'date',
  'integer',
  'decimal',
  'regexp',
  'dropdown',
  'multiselect',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldOption {
  id: number;
  name: string;
  value: string;
  position: number;
}

export interface FieldDefinition {
  id: number;
  owner: FieldOwner;
  key: string;
  type: FieldType;
  title: string;
  description: string;
  active: boolean;
  position: number;
  regexp_for_validation: string | null;
  tag: string | null;
  custom_field_options: FieldOption[];
  created_at: string;
  updated_at: string;
}

export type JobState = 'queued' | 'working' | 'failed' | 'completed';

export type JobResult = Record<string, string | number | boolean>;

export interface JobRecord {
  id: string;
  job_type: string;
  status: JobState;
  total: number;
  progress: number;
  message: string | null;
  results: JobResult[] | null;
  created_at: string;
}

/** A notification the real Zendesk would have emailed (welcome / verify); recorded so tests can assert on it. */
export interface OutboxEmail {
  at: string;
  to: string;
  kind: 'welcome' | 'verify';
  user_id: number;
}
