/**
 * The rows every org has before anyone writes: its Organization row and the integration user the API
 * authenticates as (every OwnerId/CreatedById the sandbox stamps points at it). RecordType rows come from
 * the schema's record types (store.ts).
 */
import type { SObjectName } from './schema';

export interface OrgRowsIdentity {
  orgId: string;
  userId: string;
  username: string;
}

/** The System Administrator profile's id shape (Profile key prefix 00e); the sandbox has no Profile object. */
const ADMIN_PROFILE_ID = '00e8d000001AdMnAAK';

export function systemRows(
  id: OrgRowsIdentity,
  stamp: string,
): Partial<Record<SObjectName, Record<string, unknown>[]>> {
  const audit = {
    CreatedDate: stamp,
    CreatedById: id.userId,
    LastModifiedDate: stamp,
    LastModifiedById: id.userId,
    SystemModstamp: stamp,
  };
  return {
    Organization: [
      {
        Id: id.orgId,
        Name: 'Sandbox Org',
        Country: 'US',
        DefaultLocaleSidKey: 'en_US',
        TimeZoneSidKey: 'America/Los_Angeles',
        LanguageLocaleKey: 'en_US',
        FiscalYearStartMonth: 1,
        UsesStartDateAsFiscalYearName: false,
        DefaultAccountAccess: 'Edit',
        DefaultContactAccess: 'ControlledByParent',
        DefaultOpportunityAccess: 'None',
        DefaultLeadAccess: 'ReadEditTransfer',
        DefaultCaseAccess: 'ReadEditTransfer',
        DefaultCalendarAccess: 'HideDetailsInsert',
        DefaultPricebookAccess: 'ReadSelect',
        DefaultCampaignAccess: 'All',
        UiSkin: 'Theme3',
        OrganizationType: 'Enterprise Edition',
        InstanceName: 'NA000',
        IsSandbox: false,
        IsReadOnly: false,
        ReceivesInfoEmails: false,
        ReceivesAdminInfoEmails: false,
        ...audit,
      },
    ],
    User: [
      {
        Id: id.userId,
        Username: id.username,
        FirstName: 'Sandbox',
        LastName: 'Integration',
        Name: 'Sandbox Integration',
        Email: id.username,
        Alias: 'sbint',
        CommunityNickname: 'sandbox.integration',
        IsActive: true,
        TimeZoneSidKey: 'America/Los_Angeles',
        LocaleSidKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'en_US',
        ProfileId: ADMIN_PROFILE_ID,
        UserType: 'Standard',
        DigestFrequency: 'D',
        DefaultGroupNotificationFrequency: 'N',
        ...audit,
      },
    ],
  };
}
