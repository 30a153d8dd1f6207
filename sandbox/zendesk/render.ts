/** Records -> the JSON Zendesk returns (with `url` fields and derived properties such as `users.email`). */
import { renderFieldValues } from './custom-fields';
import { primaryIdentity } from './identities';
import { defaultOrganizationId } from './memberships';
import type { ZendeskStore } from './store';
import type {
  FieldDefinition,
  IdentityRecord,
  JobRecord,
  MembershipRecord,
  OrganizationRecord,
  UserRecord,
} from './types';

export class Renderer {
  constructor(
    private readonly store: ZendeskStore,
    /** `http://host:port` of the request, so `url` fields point back at this sandbox. */
    private readonly origin: string,
  ) {}

  private url(path: string): string {
    return `${this.origin}/api/v2/${path}.json`;
  }

  organization(o: OrganizationRecord): Record<string, unknown> {
    return {
      url: this.url(`organizations/${o.id}`),
      id: o.id,
      name: o.name,
      shared_tickets: o.shared_tickets,
      shared_comments: o.shared_comments,
      external_id: o.external_id,
      created_at: o.created_at,
      updated_at: o.updated_at,
      domain_names: [...o.domain_names],
      details: o.details,
      notes: o.notes,
      group_id: o.group_id,
      tags: [...o.tags],
      organization_fields: renderFieldValues(this.store, 'organization', o.organization_fields),
    };
  }

  user(u: UserRecord): Record<string, unknown> {
    const identities = this.store.identitiesOf(u.id);
    return {
      id: u.id,
      url: this.url(`users/${u.id}`),
      name: u.name,
      email: primaryIdentity(this.store, u.id, 'email')?.value ?? null,
      created_at: u.created_at,
      updated_at: u.updated_at,
      time_zone: u.time_zone,
      iana_time_zone: u.time_zone,
      phone: primaryIdentity(this.store, u.id, 'phone_number')?.value ?? null,
      shared_phone_number: u.shared_phone_number,
      photo: null,
      locale_id: 1,
      locale: u.locale,
      organization_id: defaultOrganizationId(this.store, u.id),
      role: u.role,
      verified: identities.some((i) => i.verified),
      external_id: u.external_id,
      tags: [...u.tags],
      alias: '',
      active: u.active,
      shared: false,
      shared_agent: false,
      two_factor_auth_enabled: null,
      details: u.details ?? '',
      notes: u.notes ?? '',
      role_type: null,
      custom_role_id: null,
      moderator: u.role !== 'end-user',
      ticket_restriction: u.role === 'end-user' ? 'requested' : null,
      only_private_comments: false,
      restricted_agent: u.role === 'agent',
      suspended: u.suspended,
      report_csv: false,
      user_fields: renderFieldValues(this.store, 'user', u.user_fields),
    };
  }

  identity(i: IdentityRecord): Record<string, unknown> {
    return {
      url: this.url(`users/${i.user_id}/identities/${i.id}`),
      id: i.id,
      user_id: i.user_id,
      type: i.type,
      value: i.value,
      verified: i.verified,
      primary: i.primary,
      created_at: i.created_at,
      updated_at: i.updated_at,
      ...(i.type === 'email' ? { deliverable_state: 'deliverable', undeliverable_count: 0 } : {}),
    };
  }

  membership(m: MembershipRecord): Record<string, unknown> {
    return {
      url: this.url(`organization_memberships/${m.id}`),
      id: m.id,
      user_id: m.user_id,
      organization_id: m.organization_id,
      default: m.default ? true : null,
      created_at: m.created_at,
      organization_name: this.store.organizations.get(m.organization_id)?.name ?? '',
      updated_at: m.updated_at,
      view_tickets: true,
    };
  }

  field(f: FieldDefinition): Record<string, unknown> {
    const base = `${f.owner}_fields/${f.id}`;
    const out: Record<string, unknown> = {
      url: this.url(base),
      id: f.id,
      type: f.type,
      key: f.key,
      title: f.title,
      description: f.description,
      raw_title: f.title,
      raw_description: f.description,
      position: f.position,
      active: f.active,
      system: false,
      regexp_for_validation: f.regexp_for_validation,
      created_at: f.created_at,
      updated_at: f.updated_at,
    };
    if (f.type === 'checkbox' && f.tag !== null) out.tag = f.tag;
    if (f.type === 'dropdown' || f.type === 'multiselect')
      out.custom_field_options = f.custom_field_options.map((o) => ({
        id: o.id,
        name: o.name,
        raw_name: o.name,
        value: o.value,
        position: o.position,
        url: this.url(`${base}/options/${o.id}`),
      }));
    return out;
  }

  job(j: JobRecord): Record<string, unknown> {
    return {
      id: j.id,
      job_type: j.job_type,
      url: this.url(`job_statuses/${j.id}`),
      total: j.total,
      progress: j.progress,
      status: j.status,
      message: j.message,
      results: j.results,
    };
  }
}
