/*
 * Every policy of the application, for the request's Bouncer. Modules add
 * theirs here.
 */
export const policies = {
  MemberPolicy: () => import('#identity/policies/member_policy'),
  AuditPolicy: () => import('#audit/policies/audit_policy'),
  ProjectPolicy: () => import('#work/policies/project_policy'),
  ChannelPolicy: () => import('#messaging/policies/channel_policy'),
  PluginPolicy: () => import('#plugins/policies/plugin_policy'),
  ScimPolicy: () => import('#scim/policies/scim_policy'),
}
