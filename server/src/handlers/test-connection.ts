import { ConnectionError, connectPg } from '../../../core/src';
import type { TestConnectionParams, TestConnectionResult } from '../../../core/src';

const WHO_AND_WHERE = 'SELECT version() AS v, current_user AS u, current_database() AS d, (SELECT CASE WHEN ssl THEN version END FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls';

/**
 * `pgvet/testConnection`: connects as EXPLAIN does (TLS attempts as libpq makes them) and says who and where it
 * is, or what to change. The password in the params is used for this connection only.
 */
export async function testConnection(params: TestConnectionParams): Promise<TestConnectionResult> {
  try {
    const { client, end } = await connectPg(params.connection);
    try {
      const [row] = await client.query(WHO_AND_WHERE);
      const version = String(row.v).split(' on ')[0];
      return { ok: true, user: String(row.u), database: String(row.d), version, ...(row.tls ? { tls: String(row.tls) } : {}) };
    } finally {
      await end();
    }
  } catch (e) {
    return { ok: false, message: e instanceof ConnectionError || e instanceof Error ? e.message : String(e) };
  }
}
