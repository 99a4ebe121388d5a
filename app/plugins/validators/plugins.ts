import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'
import { PLUGIN_PERMISSIONS } from '#plugins/plugin_api'

/** The plugin's own schema validates the settings themselves (PluginSettings). */
const settingsObject = () => vine.record(vine.any().nullable())

export const installPluginValidator = vine.create(
  strictObject({
    permissions: vine
      .array(vine.enum(PLUGIN_PERMISSIONS))
      .maxLength(PLUGIN_PERMISSIONS.length)
      .optional(),
    settings: settingsObject().optional(),
    enabled: vine.boolean().optional(),
  })
)

export const pluginSettingsValidator = vine.create(settingsObject())

export const uninstallPluginValidator = vine.create({
  purge: vine.boolean().optional(),
})
