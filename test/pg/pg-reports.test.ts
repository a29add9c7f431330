import { PgAudit } from '../../server/stores/pg-audit.js';
import { PgDatabase } from '../../server/stores/pg-database.js';
import { PgReports } from '../../server/stores/pg-reports.js';
import { describeReportStore } from '../stores/reports.contract.js';
import { freshDatabase } from './databases.js';

describeReportStore('PostgreSQL', async () => {
  const db = await freshDatabase('reports');
  const database = await PgDatabase.open(db.url);
  const [reports, audit] = [new PgReports(database), new PgAudit(database)];
  return {
    store: { reports, audit },
    destroy: async () => {
      await Promise.all([reports.close(), audit.close()]);
      await db.drop();
    },
  };
});
