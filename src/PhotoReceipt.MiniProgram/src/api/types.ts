import type { components } from './schema'

// The wire types, generated from /openapi/v1.json (./build.sh api-types); never written by hand.
type S = components['schemas']
export type Product = S['ProductDto']
export type Photo = S['PhotoDto']
export type Order = S['OrderDto']
export type OrderSummary = S['OrderSummaryDto']
export type OrderPage = S['OrderPage']
export type Receipt = S['ReceiptDto']
export type ReceiptFile = S['ReceiptFileDto']
export type ConsentList = S['ConsentList']
export type ConsentStatus = S['ConsentStatusDto']
export type ConsentWithdrawal = S['ConsentWithdrawalDto']
export type CreateOrderRequest = S['CreateOrderRequest']
export type PhotoAccepted = S['PhotoAccepted']
export type SubscriptionTemplates = S['SubscriptionTemplates']
export type TimelineItem = S['TimelineItem']

// The check report is stored JSON (OpenAPI says only "JsonElement"); its shape is fixed by
// PhotoReceipt.Imaging's CheckReportJson: failures first, then warnings, then passes.
export interface Check {
  id: string
  status: 'pass' | 'warn' | 'fail'
  measured?: string | null
  allowed?: string | null
  message: string
}

export interface CheckReport {
  usable: boolean
  checks: Check[]
}

export function reportOf(photo: Photo): CheckReport | null {
  const r = photo.report as CheckReport | null | undefined
  return r && Array.isArray(r.checks) ? r : null
}
