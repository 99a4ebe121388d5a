import type { PluginTables } from '#plugin-api'

export interface Connection {
  member_id: number
  server_url: string
  username: string
  password_encrypted: string
  calendar_url: string
  calendar_name: string | null
  connected_at: Date
  last_sync_at: Date | null
  last_sync_status: 'ok' | 'failed' | null
  last_sync_error: string | null
}

export async function connectionOf(db: PluginTables, memberId: number) {
  const row = await db.table('connections').where('member_id', memberId).first()
  return (row as Connection | undefined) ?? null
}

export async function allConnections(db: PluginTables): Promise<Connection[]> {
  return db.table('connections').orderBy('member_id')
}

/** Connected members among `memberIds`. */
export async function connectedMembers(db: PluginTables, memberIds: number[]): Promise<number[]> {
  if (memberIds.length === 0) {
    return []
  }
  const rows = await db.table('connections').whereIn('member_id', memberIds).select('member_id')
  return rows.map((row: { member_id: number }) => Number(row.member_id))
}

/**
 * Connecting again (another server, user or calendar) starts over: what
 * was synced belongs to the old calendar.
 */
export async function saveConnection(
  db: PluginTables,
  connection: Omit<Connection, 'last_sync_at' | 'last_sync_status' | 'last_sync_error'>
) {
  await db.transaction(async (tables) => {
    await tables.table('items').where('member_id', connection.member_id).delete()
    await tables.table('connections').where('member_id', connection.member_id).delete()
    await tables.table('connections').insert(connection)
  })
}

export async function recordSyncOutcome(
  db: PluginTables,
  memberId: number,
  outcome: { status: 'ok' | 'failed'; error?: string }
) {
  await db
    .table('connections')
    .where('member_id', memberId)
    .update({
      last_sync_at: new Date(),
      last_sync_status: outcome.status,
      last_sync_error: outcome.error ?? null,
    })
}

/** Removes the connection and, with it, the record of what was synced (cascade). */
export async function deleteConnection(db: PluginTables, memberId: number) {
  return (await db.table('connections').where('member_id', memberId).delete()) > 0
}
