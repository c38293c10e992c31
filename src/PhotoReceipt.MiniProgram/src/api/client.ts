import Taro from '@tarojs/taro'
import { ApiError, NETWORK_MESSAGE, createApi } from './http'
import type {
  ConsentList, ConsentStatus, ConsentWithdrawal, CreateOrderRequest, Order, OrderPage, Photo, PhotoAccepted, Product,
  Receipt, SubscriptionTemplates,
} from './types'

declare const API_BASE_URL: string

/** h5 is served by the API itself (same origin); the weapp build talks to the configured HTTPS origin. */
export const baseUrl = process.env.TARO_ENV === 'h5' ? '' : API_BASE_URL

const TOKEN_KEY = 'photoreceipt.token'

export const api = createApi({
  baseUrl,
  transport: async ({ url, method, data, header }) => {
    const response = await Taro.request({ url, method, data, header, dataType: 'json', timeout: 20000 })
    return { statusCode: response.statusCode, data: response.data }
  },
  tokens: {
    get: () => (Taro.getStorageSync(TOKEN_KEY) as string) || null,
    set: (token) => (token ? Taro.setStorageSync(TOKEN_KEY, token) : Taro.removeStorageSync(TOKEN_KEY)),
  },
  // wx.login's code; in a browser there is no WeChat, and the sandbox accepts any stable code.
  loginCode: async () => {
    if (process.env.TARO_ENV === 'weapp') return (await Taro.login()).code
    let device = Taro.getStorageSync('photoreceipt.device') as string
    if (!device) {
      device = `h5-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
      Taro.setStorageSync('photoreceipt.device', device)
    }
    return device
  },
})

export const products = () => api.call<{ items: Product[] }>('GET', '/api/v1/products', undefined, { anonymous: true })
export const photo = (id: string) => api.call<Photo>('GET', `/api/v1/photos/${id}`)
export const derivePhoto = (id: string, productId: string, background?: string) =>
  api.call<PhotoAccepted>('POST', `/api/v1/photos/${id}/derive?productId=${encodeURIComponent(productId)}${background ? `&background=${encodeURIComponent(background)}` : ''}`)
export const consents = () => api.call<ConsentList>('GET', '/api/v1/consents')
export const giveConsent = (kind: string, version: string) => api.call<ConsentStatus>('POST', '/api/v1/consents', { kind, version })
export const withdrawConsent = (kind: string) => api.call<ConsentWithdrawal>('DELETE', `/api/v1/consents/${kind}`)
export const createOrder = (body: CreateOrderRequest, idempotencyKey: string) =>
  api.call<Order>('POST', '/api/v1/orders', body, { headers: { 'Idempotency-Key': idempotencyKey } })
export const orders = (cursor?: string | null) => api.call<OrderPage>('GET', `/api/v1/orders${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`)
export const order = (id: string) => api.call<Order>('GET', `/api/v1/orders/${id}`)
export const payment = (id: string) => api.call<Order>('POST', `/api/v1/orders/${id}/payment`)
export const sandboxPay = (id: string) => api.call<Order>('POST', `/api/v1/orders/${id}/sandbox-pay`)
export const cancelOrder = (id: string) => api.call<Order>('POST', `/api/v1/orders/${id}/cancel`)
export const retake = (id: string, photoId: string) => api.call<Order>('POST', `/api/v1/orders/${id}/retake`, { photoId })
export const receipt = (id: string) => api.call<Receipt>('GET', `/api/v1/orders/${id}/receipt`)
export const subscriptionTemplates = () => api.call<SubscriptionTemplates>('GET', '/api/v1/subscriptions/templates')
export const recordSubscriptions = (templateIds: string[]) => api.call<unknown>('POST', '/api/v1/subscriptions', { templateIds })

export interface PickedPhoto {
  /** wx temp file path, or an object URL of the File on h5 (for the "original" preview). */
  path: string
  /** h5 only: the file itself, sent as multipart. */
  file?: File
}

/** POST /photos with progress (0–100): wx.uploadFile on weapp, XMLHttpRequest with FormData on h5. */
export async function uploadPhoto(picked: PickedPhoto, productId: string, onProgress: (percent: number) => void): Promise<PhotoAccepted> {
  const path = `/api/v1/photos?productId=${encodeURIComponent(productId)}`
  const once = async (): Promise<{ statusCode: number; data: unknown }> => {
    const token = api.tokens.get() ?? (await api.login())
    if (process.env.TARO_ENV === 'weapp') {
      return new Promise((resolve, reject) => {
        const task = Taro.uploadFile({
          url: `${baseUrl}${path}`, filePath: picked.path, name: 'file', header: { authorization: `Bearer ${token}` },
          success: (r) => resolve({ statusCode: r.statusCode, data: parse(r.data) }),
          fail: () => reject(new ApiError(NETWORK_MESSAGE, 0)),
        })
        task.onProgressUpdate((p) => onProgress(p.progress))
      })
    }
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      xhr.open('POST', `${baseUrl}${path}`)
      xhr.setRequestHeader('authorization', `Bearer ${token}`)
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100))
      xhr.onload = () => resolve({ statusCode: xhr.status, data: parse(xhr.responseText) })
      xhr.onerror = () => reject(new ApiError(NETWORK_MESSAGE, 0))
      const form = new FormData()
      form.append('file', picked.file as File, (picked.file as File).name || 'photo.jpg')
      xhr.send(form)
    })
  }
  let response = await once()
  if (response.statusCode === 401) {
    api.tokens.set(null)
    response = await once()
  }
  if (response.statusCode !== 202) throw ApiError.fromResponse(response)
  onProgress(100)
  return response.data as PhotoAccepted
}

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return text
  try {
    return JSON.parse(text)
  } catch {
    return { detail: text }
  }
}

/** Polls GET /photos/{id} until the worker has finished with it. */
export async function waitForPhoto(id: string, isCancelled: () => boolean = () => false, everyMs = 1500, maxMs = 180000): Promise<Photo> {
  const started = Date.now()
  for (;;) {
    const p = await photo(id)
    if (p.status !== 'processing') return p
    if (isCancelled()) return p
    if (Date.now() - started > maxMs) throw new ApiError('照片处理时间过长，请稍后在订单页查看或重新上传', 0)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
