import { inject } from '@adonisjs/core'
import type User from '#identity/models/user'
import { ProjectAdministration } from '#work/services/project_administration'
import { TaskChanges } from '#work/services/task_changes'

const TASKS = [
  { title: 'Invite your team from Members', status: 'To Do', priority: 'high' as const },
  { title: 'Create a project for your next piece of work', status: 'In Progress' },
  { title: 'Sign in to Tandem', status: 'Done' },
]

/**
 * A small project a new demo workspace starts with, so the first look at
 * the API shows something. Written through the ordinary services, so it
 * is audited and in the activity feed like anything else.
 */
@inject()
export class SampleProject {
  constructor(
    protected projects: ProjectAdministration,
    protected tasks: TaskChanges
  ) {}

  async create(owner: User) {
    const origin = { ip: null, userAgent: null }
    const project = await this.projects.create(
      owner,
      { name: 'Getting started', key: 'START', description: 'A tour of projects and tasks' },
      origin
    )
    for (const task of TASKS) {
      await this.tasks.create(owner, project.id, { ...task, assignee_ids: [owner.id] })
    }
    return project
  }
}
