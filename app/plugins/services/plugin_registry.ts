import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { AnyPluginDefinition } from '#plugins/plugin_api'
import { definitionProblems } from '#plugins/plugin_definition_check'
import { PluginNotFoundException } from '#plugins/exceptions'

/**
 * The catalog: every plugin this deployment can install, discovered at
 * boot from the plugin folders (config/plugins.ts). Tenants choose among
 * these; the registry itself holds no tenant state.
 */
export class PluginRegistry {
  #plugins = new Map<string, AnyPluginDefinition>()

  /** Loads `<folder>/<plugin>/index.(ts|js)` from each folder, in name order. */
  async discover(appRoot: string, directories: string[]) {
    for (const directory of directories) {
      const root = join(appRoot, directory)
      if (!existsSync(root)) {
        continue
      }
      const entries = await readdir(root, { withFileTypes: true })
      for (const entry of entries.filter((item) => item.isDirectory()).sort(byName)) {
        const index = ['index.ts', 'index.js']
          .map((file) => join(root, entry.name, file))
          .find((file) => existsSync(file))
        if (index) {
          const module = await import(pathToFileURL(index).href)
          this.register(module.default)
        }
      }
    }
  }

  /**
   * Adds a plugin to the catalog. Refuses a malformed declaration, a
   * second plugin with the same id, and ids that would make table names
   * ambiguous (`a` creating `b_c` and `a_b` creating `c` both make `a_b_c`).
   */
  register(plugin: AnyPluginDefinition) {
    const problems = definitionProblems(plugin)
    if (problems.length > 0) {
      throw new Error(`Plugin "${plugin?.id}" is malformed: ${problems.join('; ')}`)
    }
    for (const other of this.#plugins.keys()) {
      if (other === plugin.id) {
        throw new Error(`Two plugins have the id "${plugin.id}"`)
      }
      if (other.startsWith(`${plugin.id}_`) || plugin.id.startsWith(`${other}_`)) {
        throw new Error(`Plugin ids "${other}" and "${plugin.id}" would share table names`)
      }
    }
    this.#plugins.set(plugin.id, plugin)
  }

  all(): AnyPluginDefinition[] {
    return [...this.#plugins.values()]
  }

  find(id: string): AnyPluginDefinition | undefined {
    return this.#plugins.get(id)
  }

  get(id: string): AnyPluginDefinition {
    const plugin = this.#plugins.get(id)
    if (!plugin) {
      throw new PluginNotFoundException(id)
    }
    return plugin
  }
}

function byName(a: { name: string }, b: { name: string }) {
  return a.name.localeCompare(b.name)
}
