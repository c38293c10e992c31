import type { PickedPhoto } from '../api/client'
import type { Product } from '../api/types'

// What the pages of one journey hand each other (the original photo stays on the device and is
// never uploaded twice). Kept in memory: a restart begins a new journey.
interface Journey {
  product?: Product
  picked?: PickedPhoto
  photoId?: string
  /** Set when the journey is a retake for a rejected order. */
  retakeOrderId?: string
  /** Set when "用这张照片再办一个回执" started the journey. */
  deriveFromPhotoId?: string
}

export const journey: Journey = {}

export function startJourney(product: Product, extra: Partial<Journey> = {}) {
  for (const k of Object.keys(journey) as (keyof Journey)[]) delete journey[k]
  Object.assign(journey, { product }, extra)
}

let productCache: Product[] | null = null
export const cachedProducts = {
  get: () => productCache,
  set: (items: Product[]) => { productCache = items },
}
