/*
 * Data for bench/work_api.ts: tenants provisioned through TenantProvisioner,
 * an owner token each, one project each created over HTTP (the real
 * service, its workflow and events), then tasks bulk-loaded with SQL the
 * way TaskChanges.create would have numbered and placed them. Imported
 * after the app has booted.
 */
import db from '@adonisjs/lucid/services/db'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'
import { POSITION_STEP } from '#work/services/board_positions'
import { createConcurrently, ownerTokens, slugFor } from '../provisioning/tenants.js'
import { tenantHost } from '../support/app.js'
import { forEachConcurrently } from '../support/report.js'
import { sendExpecting } from './http.js'
import type { Target } from './endpoints.js'

const CONCURRENCY = 4
export const PROJECT_KEY = 'BENCH'

export interface Fixtures {
  targets: Target[]
  /** For the checks made after the run. */
  tenants: BoundTenant[]
}

/*
 * Seeded tasks: 60 % "To Do", 25 % "In Progress", 15 % "Done" (with
 * completed_at); priorities, labels and titles cycle, one title in seven
 * mentions an invoice (what the filtered list searches for). Number n sits
 * at position n * POSITION_STEP, as n creations in a row would leave it,
 * created one minute apart up to now.
 */
const SEED_SQL = (tasks: string) => `
  INSERT INTO ${tasks} (project_id, number, title, status_id, priority, labels, position,
                        version, created_by_id, completed_at, created_at, updated_at)
  SELECT ?::bigint, n,
         (ARRAY['Fix', 'Write', 'Review', 'Ship', 'Plan'])[1 + n % 5] || ' ' ||
           (ARRAY['login page', 'invoice export', 'search index', 'onboarding email',
                  'release notes', 'billing API', 'mobile layout'])[1 + n % 7] || ' #' || n,
         CASE WHEN n % 20 < 12 THEN ?::bigint WHEN n % 20 < 17 THEN ?::bigint ELSE ?::bigint END,
         (ARRAY['low', 'medium', 'high', 'urgent'])[1 + n % 4],
         CASE n % 4 WHEN 0 THEN '{bug}'::text[] WHEN 1 THEN '{feature}'::text[]
                    WHEN 2 THEN '{bug,ui}'::text[] ELSE '{}'::text[] END,
         n * ?::double precision, 1, ?::bigint,
         CASE WHEN n % 20 >= 17 THEN created END, created, created
    FROM generate_series(1, ?::int) AS n,
         LATERAL (SELECT now() - (?::int - n) * interval '1 minute' AS created) AS at`

async function seedTasks(projectId: number, ownerId: number, count: number) {
  await db.transaction(async (trx) => {
    const statuses = await trx
      .from(TenantContext.table('workflow_statuses'))
      .where('project_id', projectId)
      .orderBy('position')
      .select('id', 'category')
    const idOf = (category: string) => statuses.find((status) => status.category === category)!.id
    await trx.rawQuery(SEED_SQL(TenantContext.table('tasks')), [
      projectId,
      idOf('todo'),
      idOf('in_progress'),
      idOf('done'),
      POSITION_STEP,
      ownerId,
      count,
      count,
    ])
    // The next task the service creates is number count + 1.
    await trx
      .from(TenantContext.table('projects'))
      .where('id', projectId)
      .update({ last_task_number: count })
  })
  // Fresh planner statistics, as autovacuum would gather after a bulk load.
  await db.rawQuery(`ANALYZE ${TenantContext.table('tasks')}`)
}

export async function prepareFixtures(
  baseUrl: string,
  tenantCount: number,
  tasksPerTenant: number
): Promise<Fixtures> {
  const slugs = Array.from({ length: tenantCount }, (_, index) => slugFor(index + 1))
  const tenants = await createConcurrently(slugs, CONCURRENCY)
  const tokens = await ownerTokens(tenants, CONCURRENCY * 2)

  const targets: Target[] = []
  await forEachConcurrently(tenants, CONCURRENCY, async ({ bound, owner }) => {
    const host = tenantHost(bound.slug)
    const token = tokens.get(bound.slug)!
    const project = await sendExpecting<{ data: { id: number } }>(
      201,
      `${baseUrl}/api/v1/projects`,
      {
        method: 'POST',
        host,
        token,
        body: { name: 'Bench board', key: PROJECT_KEY },
      }
    )
    await TenantContext.run(bound, () => seedTasks(project.data.id, owner.id, tasksPerTenant))
    targets.push({ tenantId: bound.id, host, token, projectId: project.data.id })
  })
  targets.sort((a, b) => a.tenantId - b.tenantId)
  return { targets, tenants: tenants.map(({ bound }) => bound) }
}

/** Tasks numbered above `seeded` in each tenant: those the create phases made. */
export async function countCreatedTasks(tenants: BoundTenant[], seeded: number) {
  let total = 0
  for (const tenant of tenants) {
    const { rows } = await TenantContext.run(tenant, () =>
      db.rawQuery(
        `SELECT count(*)::int AS n FROM ${TenantContext.table('tasks')} WHERE number > ?`,
        [seeded]
      )
    )
    total += rows[0].n
  }
  return total
}
