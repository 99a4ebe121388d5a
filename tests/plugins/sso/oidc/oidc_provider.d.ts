/**
 * The part of oidc-provider 9 (no bundled types) the OIDC specs use: the
 * provider as a Koa app, its interaction API and grants.
 */
declare module 'oidc-provider' {
  type NodeRequest = import('node:http').IncomingMessage
  type NodeResponse = import('node:http').ServerResponse

  interface KoaContext {
    path: string
    method: string
    body: unknown
  }

  interface Interaction {
    uid: string
    prompt: { name: string }
    params: Record<string, unknown>
  }

  interface Grant {
    addOIDCScope(scope: string): void
    save(): Promise<string>
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    readonly issuer: string
    callback(): (request: NodeRequest, response: NodeResponse) => void
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): this
    on(event: string, listener: (...args: unknown[]) => void): this
    interactionDetails(request: NodeRequest, response: NodeResponse): Promise<Interaction>
    interactionFinished(
      request: NodeRequest,
      response: NodeResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean }
    ): Promise<void>
    Grant: new (properties: { accountId: string; clientId: string }) => Grant
  }
}
