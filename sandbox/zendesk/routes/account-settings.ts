/**
 * `GET|PUT /account/settings` (OAS ShowAccountSettings / UpdateAccountSettings), limited to the `user`
 * group: "Validate user phone numbers" is `settings.user.end_user_phone_number_validation` and "Allow
 * users to belong to multiple organizations" is `settings.user.multiple_organizations` (OAS
 * AccountSettingsUserObject; only the former is writable here, the latter is Admin Center's). The other groups of the real answer (tickets, brands, voice, …) are
 * not modelled and are left out. The values mirror the sandbox settings (`/__sandbox/settings`).
 */
import type { Router } from 'express';
import { fieldError } from '../errors';
import { bodyRoot, isRecord } from '../input';
import type { ZendeskSettings } from '../settings';
import { handle } from './http';

export interface AccountSettingsDeps {
  settings(): ZendeskSettings;
  updateSettings(partial: Partial<ZendeskSettings>): ZendeskSettings;
}

const render = (s: ZendeskSettings) => ({
  settings: {
    user: {
      agent_created_welcome_emails: true,
      end_user_phone_number_validation: s.validatePhoneNumbers,
      have_gravatars_enabled: true,
      language_selection: true,
      multiple_organizations: s.multipleOrganizations,
      tagging: true,
      time_zone_selection: true,
    },
  },
});

export function accountSettingsRoutes(router: Router, deps: AccountSettingsDeps): void {
  router.get(
    '/account/settings',
    handle((_req, res) => {
      res.json(render(deps.settings()));
    }),
  );
  router.put(
    '/account/settings',
    handle((req, res) => {
      const user = bodyRoot(req, 'settings').user;
      const validate = isRecord(user) ? user.end_user_phone_number_validation : undefined;
      if (validate !== undefined && typeof validate !== 'boolean')
        throw fieldError('end_user_phone_number_validation', 'InvalidValue', 'must be true or false');
      res.json(
        render(
          validate === undefined ? deps.settings() : deps.updateSettings({ validatePhoneNumbers: validate }),
        ),
      );
    }),
  );
}
