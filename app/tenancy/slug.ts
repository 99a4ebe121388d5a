import { InvalidSlugException } from '#tenancy/exceptions'

const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,40}$/

/**
 * Names that would shadow the product's own hosts or confuse users.
 */
const RESERVED = new Set([
  'www',
  'api',
  'admin',
  'app',
  'apps',
  'auth',
  'login',
  'logout',
  'signup',
  'account',
  'accounts',
  'billing',
  'blog',
  'cdn',
  'central',
  'dashboard',
  'demo-admin',
  'docs',
  'help',
  'internal',
  'mail',
  'smtp',
  'imap',
  'ftp',
  'ns1',
  'ns2',
  'public',
  'root',
  'scim',
  'sso',
  'static',
  'status',
  'support',
  'system',
  'tandem',
  'template',
  'test-template',
  'operator',
  'postgres',
  'health',
  'metrics',
  'assets',
  'ws',
  'socket',
  'realtime',
])

export function validateSlug(slug: string): string {
  if (!SLUG_PATTERN.test(slug)) {
    throw new InvalidSlugException(
      `Invalid slug "${slug}": use 2-41 lowercase letters, digits or hyphens, starting with a letter`
    )
  }
  if (slug.endsWith('-') || slug.includes('--')) {
    throw new InvalidSlugException(`Invalid slug "${slug}": no trailing or doubled hyphens`)
  }
  if (RESERVED.has(slug)) {
    throw new InvalidSlugException(`The slug "${slug}" is reserved`)
  }
  return slug
}

/**
 * PostgreSQL schema holding a tenant's tables. Hyphens become underscores
 * so the name never needs quoting; the slug rules make this one-to-one
 * (a slug cannot contain "_").
 */
export function schemaForSlug(slug: string): string {
  return `tenant_${slug.replaceAll('-', '_')}`
}
