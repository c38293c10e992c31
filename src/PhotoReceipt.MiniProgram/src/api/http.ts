// The API wrapper: session token, problem+json errors, one automatic re-login on 401. Platform
// pieces (the request function, token storage, wx.login) are passed in, so tests drive it with fakes.

export interface TransportRequest {
  url: string
  method: 'GET' | 'POST' | 'DELETE'
  data?: unknown
  header: Record<string, string>
}

export interface TransportResponse {
  statusCode: number
  data: unknown
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>

export interface TokenStore {
  get(): string | null
  set(token: string | null): void
}

export const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试'

/** An answer the user should read: the API's problem+json detail as it is, or a lost network. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly title?: string,
    readonly errors?: Record<string, string[]>,
    readonly body?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** No answer at all (offline, timeout): the same request may simply be tried again. */
  get network(): boolean {
    return this.status === 0
  }

  static fromResponse(response: TransportResponse): ApiError {
    const body = (typeof response.data === 'object' && response.data !== null ? response.data : {}) as Record<string, unknown>
    const detail = typeof body.detail === 'string' && body.detail ? body.detail : undefined
    const title = typeof body.title === 'string' ? body.title : undefined
    const errors = typeof body.errors === 'object' && body.errors !== null ? (body.errors as Record<string, string[]>) : undefined
    return new ApiError(detail ?? title ?? `服务暂时不可用（${response.statusCode}），请稍后再试`, response.statusCode, title, errors, body)
  }
}

export interface ApiOptions {
  baseUrl: string
  transport: Transport
  tokens: TokenStore
  /** wx.login's code (any string in sandbox mode). */
  loginCode: () => Promise<string>
}

export interface CallOptions {
  headers?: Record<string, string>
  /** Calls made before login (products) still work without a token. */
  anonymous?: boolean
}

export function createApi(options: ApiOptions) {
  const { baseUrl, transport, tokens, loginCode } = options
  let pendingLogin: Promise<string> | null = null

  async function send(request: TransportRequest): Promise<TransportResponse> {
    try {
      return await transport(request)
    } catch {
      throw new ApiError(NETWORK_MESSAGE, 0)
    }
  }

  /** One login at a time: pages that load together share it. */
  function login(): Promise<string> {
    pendingLogin ??= (async () => {
      try {
        const code = await loginCode()
        const response = await send({ url: `${baseUrl}/api/v1/session`, method: 'POST', data: { code }, header: { 'content-type': 'application/json' } })
        if (response.statusCode !== 200) throw ApiError.fromResponse(response)
        const token = (response.data as { token: string }).token
        tokens.set(token)
        return token
      } finally {
        pendingLogin = null
      }
    })()
    return pendingLogin
  }

  async function call<T>(method: TransportRequest['method'], path: string, body?: unknown, callOptions: CallOptions = {}): Promise<T> {
    const attempt = async (token: string | null) =>
      send({
        url: `${baseUrl}${path}`,
        method,
        data: body,
        header: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...callOptions.headers,
        },
      })
    let token = tokens.get()
    if (!token && !callOptions.anonymous) token = await login()
    let response = await attempt(token)
    if (response.statusCode === 401 && !callOptions.anonymous) {
      // The session expired or was ended: log in again once, then give up.
      tokens.set(null)
      response = await attempt(await login())
    }
    if (response.statusCode >= 400 || response.statusCode < 200) throw ApiError.fromResponse(response)
    return response.data as T
  }

  return { call, login, tokens }
}

export type Api = ReturnType<typeof createApi>
