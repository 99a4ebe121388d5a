import { DomainEvent } from '#events/domain_event'

/*
 * Domain events of the plugin runtime (payload version 1 each). Plugins
 * themselves never receive these: they describe the plugins.
 */

type PluginRef = { plugin_id: string; version: string }

export class PluginInstalled extends DomainEvent<PluginRef & { permissions: string[] }> {
  static readonly type = 'plugin.installed'
}

export class PluginUpgraded extends DomainEvent<PluginRef & { from_version: string }> {
  static readonly type = 'plugin.upgraded'
}

export class PluginSettingsChanged extends DomainEvent<PluginRef & { keys: string[] }> {
  static readonly type = 'plugin.settings_changed'
}

export class PluginEnabled extends DomainEvent<PluginRef> {
  static readonly type = 'plugin.enabled'
}

export class PluginDisabled extends DomainEvent<PluginRef> {
  static readonly type = 'plugin.disabled'
}

/** The runtime turned the plugin off after it failed too often in a row: admins are told. */
export class PluginAutoDisabled extends DomainEvent<
  PluginRef & { consecutive_failures: number; last_error: string }
> {
  static readonly type = 'plugin.auto_disabled'
}

export class PluginUninstalled extends DomainEvent<PluginRef & { purged: boolean }> {
  static readonly type = 'plugin.uninstalled'
}
