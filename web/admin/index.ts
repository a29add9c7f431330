/**
 * The admin console's module (served as /admin-<hash>.js, loaded by /admin). Defines each tag only if the page
 * has not defined it yet, as web/index.ts does.
 */
import { AdminAudit } from './admin-audit.js';
import { AdminBans } from './admin-bans.js';
import { AdminConsole } from './admin-console.js';
import { AdminOverviewView } from './admin-overview.js';
import { AdminPeople } from './admin-people.js';
import { AdminReports } from './admin-reports.js';
import { AdminRetention } from './admin-retention.js';
import { AdminRooms } from './admin-rooms.js';
import { AdminSignIn } from './admin-sign-in.js';

const TAGS = {
  'admin-audit': AdminAudit,
  'admin-bans': AdminBans,
  'admin-console': AdminConsole,
  'admin-overview': AdminOverviewView,
  'admin-people': AdminPeople,
  'admin-reports': AdminReports,
  'admin-retention': AdminRetention,
  'admin-rooms': AdminRooms,
  'admin-sign-in': AdminSignIn,
} as const;

for (const [tag, element] of Object.entries(TAGS)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
