import vine from '@vinejs/vine'
import encryption from '@adonisjs/core/services/encryption'
import type { AnyPluginDefinition } from '#plugins/plugin_api'

export type Settings = Record<string, unknown>

/** What the API shows for a secret that is set; sending it back keeps the secret. */
export const SECRET_MASK = '********'

const validators = new WeakMap<object, ReturnType<typeof vine.create>>()

function validatorOf(plugin: AnyPluginDefinition) {
  const schema = plugin.settings?.schema
  if (!schema) {
    return null
  }
  let validator = validators.get(schema)
  if (!validator) {
    validator = vine.create(schema)
    validators.set(schema, validator)
  }
  return validator
}

function purpose(tenantId: number, pluginId: string) {
  return `plugin-settings:${tenantId}:${pluginId}`
}

/**
 * A plugin's settings in one tenant: validated by the plugin's VineJS
 * schema, stored encrypted as a whole (secrets are in there), shown with
 * secrets masked. Secrets are write-only: an update that leaves one out,
 * or sends the mask back, keeps the stored value; `null` clears it.
 */
export const PluginSettings = {
  async validate(plugin: AnyPluginDefinition, input: unknown): Promise<Settings> {
    const validator = validatorOf(plugin)
    if (!validator) {
      return {}
    }
    return (await validator.validate(input ?? {})) as Settings
  },

  /** The stored settings with `patch` applied, validated as a whole. */
  async merge(plugin: AnyPluginDefinition, current: Settings, patch: Settings): Promise<Settings> {
    const merged: Settings = { ...current }
    const secrets = new Set<string>(plugin.settings?.secrets ?? [])
    for (const [key, value] of Object.entries(patch)) {
      if (secrets.has(key) && value === SECRET_MASK) {
        continue
      }
      if (value === null) {
        delete merged[key]
      } else {
        merged[key] = value
      }
    }
    return this.validate(plugin, merged)
  },

  masked(plugin: AnyPluginDefinition, settings: Settings): Settings {
    const shown: Settings = { ...settings }
    for (const secret of plugin.settings?.secrets ?? []) {
      shown[secret] = settings[secret] === undefined || settings[secret] === '' ? null : SECRET_MASK
    }
    return shown
  },

  seal(tenantId: number, pluginId: string, settings: Settings): string {
    return encryption.encrypt(settings, { purpose: purpose(tenantId, pluginId) })
  },

  open(tenantId: number, pluginId: string, sealed: string): Settings {
    const settings = encryption.decrypt<Settings>(sealed, purpose(tenantId, pluginId))
    if (!settings) {
      throw new Error(`The settings of plugin "${pluginId}" cannot be decrypted with this APP_KEY`)
    }
    return settings
  },
}
