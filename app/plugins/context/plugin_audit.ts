import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { AuditTrail } from '#audit/services/audit_trail'
import { PluginError, type PluginAudit } from '#plugins/plugin_api'

const ACTION = /^[a-z][a-z0-9_]{0,30}(\.[a-z][a-z0-9_]{0,30})?$/

/**
 * A plugin's entries in the workspace audit trail, `<plugin id>.<action>`
 * with the plugin as actor. Inside a lifecycle callback they join the
 * transaction that installs or removes the plugin.
 */
export function pluginAudit(pluginId: string, client?: QueryClientContract): PluginAudit {
  return {
    async record(action, entry = {}) {
      if (!ACTION.test(action)) {
        throw new PluginError('E_INVALID_AUDIT_ACTION', `"${action}" is not an audit action name`)
      }
      const write = (trx: TransactionClientContract) =>
        AuditTrail.record(trx, {
          actor: { type: 'plugin', id: pluginId },
          action: `${pluginId}.${action}`,
          target: entry.target,
          ip: entry.ip ?? null,
          userAgent: entry.user_agent ?? null,
          metadata: entry.metadata,
        })
      if (client?.isTransaction) {
        await write(client as TransactionClientContract)
      } else {
        await db.transaction(write)
      }
    },
  }
}
