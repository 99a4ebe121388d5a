import type { AnyPluginDefinition, MessageDraft, SignInProvider } from '#plugins/plugin_api'
import type { PluginRegistry } from '#plugins/services/plugin_registry'
import type { PluginInstallations } from '#plugins/services/plugin_installations'
import { DEFAULT_HOOK_TIMEOUT_MS, type PluginRunner } from '#plugins/services/plugin_runner'
import { MessageRefusedByPluginException } from '#plugins/exceptions'

/**
 * The synchronous interception points core actions offer plugins. Each
 * enabled plugin's hook runs in turn under its short time limit; one
 * that fails or times out is skipped (and counted), so the action never
 * fails because of a plugin. A hook that sees message content needs
 * `messages:read`.
 */
export class PluginHooks {
  #beforePost?: AnyPluginDefinition[]
  #providers?: AnyPluginDefinition[]

  constructor(
    protected registry: PluginRegistry,
    protected installations: PluginInstallations,
    protected runner: PluginRunner
  ) {}

  /** The body to post, as the enabled plugins rewrote it; throws if one refuses it. */
  async messageBeforePost(draft: MessageDraft): Promise<string> {
    let body = draft.body
    // The catalog is fixed once booted: the plugins with this hook are found once.
    this.#beforePost ??= this.registry
      .all()
      .filter((plugin) => plugin.hooks?.['message.beforePost'])
    for (const plugin of this.#beforePost) {
      const hook = plugin.hooks!['message.beforePost']!
      const installation = await this.installations.enabled(plugin.id)
      if (!installation?.permissions.has('messages:read')) {
        continue
      }
      const outcome = await this.runner
        .run(
          'hook',
          plugin,
          installation,
          plugin.limits?.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS,
          (context) => hook(context, { ...draft, body })
        )
        .catch(() => undefined)
      if (outcome?.refuse) {
        throw new MessageRefusedByPluginException(plugin.name, outcome.refuse)
      }
      if (typeof outcome?.body === 'string') {
        body = outcome.body
      }
    }
    return body
  }

  /**
   * The sign-in methods enabled plugins with `sessions:write` offer, each
   * tagged with its plugin; a plugin that fails or is slow is left out.
   */
  async signInProviders(): Promise<(SignInProvider & { plugin: string })[]> {
    this.#providers ??= this.registry.all().filter((plugin) => plugin.hooks?.['auth.providers'])
    const offered: (SignInProvider & { plugin: string })[] = []
    for (const plugin of this.#providers) {
      const installation = await this.installations.enabled(plugin.id)
      if (!installation?.permissions.has('sessions:write')) {
        continue
      }
      const providers = await this.runner
        .run(
          'hook',
          plugin,
          installation,
          plugin.limits?.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS,
          (context) => plugin.hooks!['auth.providers']!(context)
        )
        .catch(() => [])
      for (const provider of providers) {
        offered.push({
          plugin: plugin.id,
          id: provider.id,
          name: provider.name,
          kind: provider.kind ?? 'redirect',
          url: provider.url,
        })
      }
    }
    return offered
  }
}
