import { describe, expect, it } from 'vitest'
import { ApiError, NETWORK_MESSAGE, createApi, type TransportRequest, type TransportResponse } from '../src/api/http'

function fake(handler: (r: TransportRequest) => TransportResponse | Promise<TransportResponse>) {
  const requests: TransportRequest[] = []
  let token: string | null = null
  let logins = 0
  const api = createApi({
    baseUrl: 'https://api.test',
    transport: async (r) => { requests.push(r); return handler(r) },
    tokens: { get: () => token, set: (t) => { token = t } },
    loginCode: async () => `code${++logins}`,
  })
  return { api, requests, logins: () => logins, token: () => token }
}

const session = (token: string): TransportResponse => ({ statusCode: 200, data: { token, expiresAt: '2026-12-01T00:00:00Z' } })

describe('API wrapper', () => {
  it('logs in once with the wx.login code, then sends the bearer token', async () => {
    const f = fake((r) => (r.url.endsWith('/session') ? session('t1') : { statusCode: 200, data: { items: [] } }))
    await Promise.all([f.api.call('GET', '/api/v1/orders'), f.api.call('GET', '/api/v1/consents')])
    expect(f.logins()).toBe(1)
    expect(f.requests[0]).toMatchObject({ url: 'https://api.test/api/v1/session', method: 'POST', data: { code: 'code1' } })
    expect(f.requests.slice(1).map((r) => r.header.authorization)).toEqual(['Bearer t1', 'Bearer t1'])
  })

  it('logs in again once when the session has ended', async () => {
    let n = 0
    const f = fake((r) => {
      if (r.url.endsWith('/session')) return session(`t${++n}`)
      return r.header.authorization === 'Bearer t1' ? { statusCode: 401, data: { detail: '请重新登录' } } : { statusCode: 200, data: 'ok' }
    })
    expect(await f.api.call('GET', '/api/v1/orders')).toBe('ok')
    expect(f.logins()).toBe(2)
    expect(f.token()).toBe('t2')
  })

  it('shows the problem detail as the API wrote it, with field errors', async () => {
    const f = fake((r) => (r.url.endsWith('/session') ? session('t')
      : { statusCode: 400, data: { title: '提交的信息有误', detail: '身份证号码校验位不正确，请核对', errors: { 'applicant.idNumber': ['身份证号码校验位不正确，请核对'] } } }))
    const error = (await f.api.call('POST', '/api/v1/orders', {}).catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.message).toBe('身份证号码校验位不正确，请核对')
    expect(error.status).toBe(400)
    expect(error.errors?.['applicant.idNumber']).toEqual(['身份证号码校验位不正确，请核对'])
    expect(error.network).toBe(false)
  })

  it('says so when the network is lost', async () => {
    const f = fake((r) => { if (r.url.endsWith('/session')) return session('t'); throw new Error('request:fail timeout') })
    const error = (await f.api.call('GET', '/api/v1/orders').catch((e: unknown) => e)) as ApiError
    expect(error.network).toBe(true)
    expect(error.message).toBe(NETWORK_MESSAGE)
  })

  it('sends the Idempotency-Key and JSON body it is given; products need no login', async () => {
    const f = fake((r) => (r.url.endsWith('/session') ? session('t') : { statusCode: 201, data: { id: 'o1' } }))
    await f.api.call('GET', '/api/v1/products', undefined, { anonymous: true })
    expect(f.logins()).toBe(0)
    await f.api.call('POST', '/api/v1/orders', { a: 1 }, { headers: { 'Idempotency-Key': 'k1' } }).catch(() => undefined)
    const post = f.requests.find((r) => r.method === 'POST' && r.url.endsWith('/orders'))!
    expect(post.header['Idempotency-Key']).toBe('k1')
    expect(post.header['content-type']).toBe('application/json')
  })

  it('falls back to a plain sentence for a non-problem error', () => {
    expect(ApiError.fromResponse({ statusCode: 502, data: '<html>' }).message).toBe('服务暂时不可用（502），请稍后再试')
  })
})
