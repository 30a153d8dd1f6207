/**
 * Deterministic, deliberately messy Salesforce data: the same seed always gives the same records, and the
 * records look like a real org's: duplicate account names, contacts without emails, shared emails, phones in
 * E.164 and in local formats, accented, CJK and right-to-left names, real standard picklist values (API name
 * = value, e.g. `Customer - Direct`), custom picklist API names, and empty fields.
 */
import { createRandom } from '../common/random';

export interface SalesforceSeedOptions {
  accounts?: number;
  contactsPerAccount?: number;
  leads?: number;
  seed?: number;
  /** Epoch ms the generated audit dates lead up to (fixed by default so output never depends on the clock). */
  baseTime?: number;
}

export interface SeedRecord {
  /** API field values, valid for an insert (no read-only fields). */
  fields: Record<string, unknown>;
  createdDate: string;
  lastModifiedDate: string;
}

export interface SeedAccount extends SeedRecord {
  contacts: SeedRecord[];
}

export interface SalesforceSeedData {
  accounts: SeedAccount[];
  leads: SeedRecord[];
}

const DEFAULT_BASE_TIME = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;

const COMPANY_NAMES = [
  'Acme Corporation',
  'Globex',
  'Initech',
  'Umbrella Holdings',
  'Stark Industries',
  'Müller & Söhne GmbH',
  'Café Olé SARL',
  'Ørsted Vindkraft A/S',
  'Société Générale de Équipement',
  'Zoë’s Bakery',
  '株式会社サクラ技研',
  '北京星辰科技有限公司',
  '삼성 파트너스',
  'شركة النخبة للتجارة',
  'חברת אור טכנולוגיות בע״מ',
  'São Paulo Logística Ltda.',
  'Łódź Manufaktura Sp. z o.o.',
  'Blue Sky Ventures',
  'Northwind Traders',
  'Contoso Ltd',
  'Fabrikam, Inc.',
  'Wayne Enterprises',
  'Tyrell Corp',
  'Soylent   Green', // double spaces, as typed by a hurried user
];
const SUFFIXES = ['', '', ' Inc.', ' LLC', ' Europe', ' APAC', ' (Old)', ' - Holding'];

const FIRST_NAMES = [
  'José',
  'Zoë',
  'Ægir',
  'Anna',
  'John',
  'Mary',
  'Wei',
  '李',
  '王',
  'محمد',
  'فاطمة',
  'יוסי',
  'נועה',
  'Søren',
  'Chloé',
  'Björn',
  'Ngozi',
  'Priya',
  'Ōta',
  null,
];
const LAST_NAMES = [
  'García',
  'Smith',
  'Müller',
  'Nguyễn',
  'O’Brien',
  'van der Berg',
  '田中',
  '张',
  'Kim',
  'الفارسي',
  'כהן',
  'Øvergaard',
  'Dubois',
  'Kowalski',
  'Johnson',
  'Silva',
];
const TITLES = ['CTO', 'VP Engineering', 'Support Lead', 'Office Manager', 'Head of IT', 'Buyer', null, null];
const DEPARTMENTS = ['IT', 'Support', 'Finance', 'Operations', null];
const COUNTRIES = [
  'US',
  'USA',
  'United States',
  'Canada',
  'UK',
  'Germany',
  'Deutschland',
  'France',
  'Japan',
  '日本',
  'India',
  'Israel',
  'Egypt',
  'Brazil',
  null,
  '',
];
const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'EXAMPLE.COM'];

const ACCOUNT_TYPES = [
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
  null,
];
const INDUSTRIES = [
  'Technology',
  'Banking',
  'Retail',
  'Healthcare',
  'Food & Beverage',
  'Education',
  'Not For Profit',
  null,
];
const RATINGS = ['Hot', 'Warm', 'Cold', null];
const SEGMENTS = ['SMB', 'Mid_Market', 'Enterprise', 'Public_Sector', 'Strategic'];
const TIERS = ['Tier_1', 'Tier_2', 'Tier_3', null];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other', null];
// No converted status: only lead conversion sets one (see sandbox/salesforce/lead-convert.ts).
const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Open - Not Contacted',
  'Closed - Not Converted',
];
/** Standard fields filled from a record's index, so they add no draws to the random stream. */
const ACCOUNT_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other', null];
const OWNERSHIPS = ['Public', 'Private', 'Subsidiary', null, null];
const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', null, null];
const LANGUAGES = ['en', 'fr', 'de', 'es', 'ja', 'zh', 'ar', 'he', 'pt'];

const sfDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const sfDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

class Picker {
  constructor(private readonly random: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  /** Phones as people type them: E.164, US local styles, and international with separators. */
  phone(): string | null {
    const n = this.digits(4);
    switch (this.int(0, 6)) {
      case 0:
        return `+1415555${n}`;
      case 1:
        return `(415) 555-${n}`;
      case 2:
        return `415.555.${n}`;
      case 3:
        return `+44 20 7946 ${n}`;
      case 4:
        return `+81-3-1234-${n}`;
      case 5:
        return `+97235${this.digits(5)}${n.slice(0, 2)}`;
      default:
        return null;
    }
  }
  someOf<T>(items: readonly T[], max: number): T[] {
    const count = this.int(1, max);
    const out = new Set<T>();
    for (let i = 0; i < count; i++) out.add(this.one(items));
    return [...out];
  }
}

function auditDates(pick: Picker, baseTime: number): { createdDate: string; lastModifiedDate: string } {
  const created = baseTime - pick.int(30, 900) * DAY - pick.int(0, DAY - 1);
  const modified = Math.min(baseTime - 1000, created + pick.int(0, 400) * DAY + pick.int(0, DAY - 1));
  return { createdDate: sfDateTime(created), lastModifiedDate: sfDateTime(modified) };
}

const asciiSlug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[^\w]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .toLowerCase();

export function generateSalesforceSeed(opts: SalesforceSeedOptions = {}): SalesforceSeedData {
  const pick = new Picker(createRandom(opts.seed ?? 1));
  const baseTime = opts.baseTime ?? DEFAULT_BASE_TIME;
  const accountCount = opts.accounts ?? 10;
  const contactsPerAccount = opts.contactsPerAccount ?? 3;
  const leadCount = opts.leads ?? 5;
  const usedNames: string[] = [];
  let emailSerial = 0;
  let lastEmail: string | undefined;

  const email = (first: string | null, last: string): string | null => {
    // About 1 in 7 have none; about 1 in 20 reuse the previous person's address (shared inboxes).
    if (pick.chance(0.14)) return null;
    if (lastEmail && pick.chance(0.05)) return lastEmail;
    emailSerial += 1;
    const local = asciiSlug(`${first ?? ''} ${last}`) || 'contact';
    const tag = pick.chance(0.1) ? '+support' : '';
    const address = `${local}${tag}.${emailSerial}@${pick.one(EMAIL_DOMAINS)}`;
    lastEmail = pick.chance(0.1) ? address.toUpperCase() : address;
    return lastEmail;
  };

  const person = (): { FirstName: string | null; LastName: string } => ({
    FirstName: pick.one(FIRST_NAMES),
    LastName: pick.one(LAST_NAMES),
  });

  const accounts: SeedAccount[] = [];
  for (let a = 0; a < accountCount; a++) {
    // Every seventh account reuses an earlier name: real orgs are full of duplicate accounts.
    const name =
      usedNames.length > 0 && a % 7 === 6
        ? pick.one(usedNames)
        : `${pick.one(COMPANY_NAMES)}${pick.one(SUFFIXES)}`;
    usedNames.push(name);
    const contractStart = baseTime - pick.int(10, 700) * DAY;
    const fields: Record<string, unknown> = {
      Name: name,
      Type: pick.one(ACCOUNT_TYPES),
      Industry: pick.one(INDUSTRIES),
      Rating: pick.one(RATINGS),
      Phone: pick.phone(),
      Website: pick.chance(0.7) ? `https://www.${asciiSlug(name) || 'company'}.example.com` : null,
      AnnualRevenue: pick.chance(0.6) ? pick.int(10, 50_000) * 1000 : null,
      NumberOfEmployees: pick.chance(0.7) ? pick.int(1, 20_000) : null,
      Description: pick.chance(0.3)
        ? `Customer since ${sfDate(contractStart)}.\nKey account — handle with care. 🚀`
        : null,
      Segment__c: pick.chance(0.8) ? pick.someOf(SEGMENTS, 2).join(';') : null,
      Tier__c: pick.one(TIERS),
      Active__c: pick.chance(0.85),
      Health_Score__c: pick.chance(0.7) ? Math.round(pick.int(0, 10_000)) / 100 : null,
      Renewal_Date__c: pick.chance(0.6) ? sfDate(baseTime + pick.int(-60, 365) * DAY) : null,
      Contract_Start__c: pick.chance(0.6) ? sfDateTime(contractStart) : null,
      Country__c: pick.one(COUNTRIES),
      Notes__c: pick.chance(0.2) ? 'Prefers email.\r\nEscalate billing issues to finance.' : null,
      Rich_Notes__c: pick.chance(0.2)
        ? '<p>Renewal <b>at risk</b> — see <a href="https://example.com">notes</a></p>'
        : null,
      Tax_Id__c: pick.chance(0.3) ? `DE${pick.digits(9)}` : null,
      External_Key__c: pick.chance(0.3) ? `EXT-${String(a + 1).padStart(6, '0')}` : null,
    };
    Object.assign(fields, {
      AccountSource: ACCOUNT_SOURCES[a % ACCOUNT_SOURCES.length],
      Ownership: OWNERSHIPS[a % OWNERSHIPS.length],
      AccountNumber: a % 3 === 0 ? `ACC-${String(a + 1).padStart(5, '0')}` : null,
      BillingCountry:
        typeof fields.Country__c === 'string' && fields.Country__c !== '' ? fields.Country__c : null,
    });
    const contacts: SeedRecord[] = [];
    for (let c = 0; c < contactsPerAccount; c++) {
      const p = person();
      contacts.push({
        fields: {
          ...p,
          Email: email(p.FirstName, p.LastName),
          Phone: pick.phone(),
          MobilePhone: pick.chance(0.4) ? pick.phone() : null,
          Title: pick.one(TITLES),
          Department: pick.one(DEPARTMENTS),
          LeadSource: pick.one(LEAD_SOURCES),
          Birthdate: pick.chance(0.2) ? sfDate(Date.UTC(1960, 0, 1) + pick.int(0, 14_000) * DAY) : null,
          Languages__c: pick.chance(0.5) ? pick.someOf(LANGUAGES, 3).join(';') : null,
          Do_Not_Sync__c: pick.chance(0.05),
          Customer_Since__c: pick.chance(0.5) ? sfDate(contractStart) : null,
          Salutation: SALUTATIONS[(a + c) % SALUTATIONS.length],
        },
        ...auditDates(pick, baseTime),
      });
    }
    accounts.push({ fields, contacts, ...auditDates(pick, baseTime) });
  }

  const leads: SeedRecord[] = [];
  for (let l = 0; l < leadCount; l++) {
    const p = person();
    leads.push({
      fields: {
        ...p,
        Company: pick.chance(0.9) ? `${pick.one(COMPANY_NAMES)}${pick.one(SUFFIXES)}` : '[not provided]',
        Status: pick.one(LEAD_STATUSES),
        Email: email(p.FirstName, p.LastName),
        Phone: pick.phone(),
        LeadSource: pick.one(LEAD_SOURCES),
        Industry: pick.one(INDUSTRIES),
        Rating: pick.one(RATINGS),
        Description: pick.chance(0.2) ? 'Met at a trade show; asked for a demo.' : null,
      },
      ...auditDates(pick, baseTime),
    });
  }
  return { accounts, leads };
}
