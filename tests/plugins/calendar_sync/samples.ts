import type { PluginProject, PluginTask } from '#plugin-api'
import { taskIdentity } from '../../../plugins/calendar_sync/task_identity.js'

/** The identity of tenant `acme`, with links on its own host. */
export const acmeIdentity = taskIdentity({
  tenant: { id: 1, slug: 'acme' },
  url: (path) => `https://acme.tandem.test${path}`,
})

export function sampleTask(overrides: Partial<PluginTask> = {}): PluginTask {
  return {
    id: 7,
    key: 'WEB-7',
    project_id: 3,
    title: 'Ship the launch page',
    description: null,
    status: { id: 1, name: 'To do', category: 'todo' },
    priority: 'medium',
    assignee_ids: [42],
    due_date: '2026-12-04',
    version: 3,
    completed_at: null,
    created_at: '2026-11-01T09:00:00.000Z',
    updated_at: '2026-11-20T10:00:00.000Z',
    ...overrides,
  }
}

export function sampleProject(overrides: Partial<PluginProject> = {}): PluginProject {
  return {
    id: 3,
    key: 'WEB',
    name: 'Website',
    description: null,
    status: 'active',
    start_date: '2026-11-02',
    end_date: '2026-12-18',
    lead_id: null,
    archived_at: null,
    updated_at: '2026-11-01T09:00:00.000Z',
    ...overrides,
  }
}
