import { useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import * as client from '../../api/client'
import type { OrderSummary } from '../../api/types'
import ErrorBox from '../../components/ErrorBox'
import { chinaTime, yuan } from '../../lib/format'
import { statusTone } from '../../lib/status'

/** Orders tab: newest first, pull to refresh, the next page by cursor at the bottom. */
export default function Orders() {
  const [items, setItems] = useState<OrderSummary[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)

  const refresh = async () => {
    setError(null)
    try {
      const page = await client.orders()
      setItems(page.items)
      setCursor(page.nextCursor)
    } catch (e) {
      setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }

  const more = async () => {
    if (!cursor || loading) return
    setLoading(true)
    try {
      const page = await client.orders(cursor)
      setItems((old) => [...(old ?? []), ...page.items.filter((i) => !old?.some((o) => o.id === i.id))])
      setCursor(page.nextCursor)
    } catch (e) {
      setError(e)
    } finally {
      setLoading(false)
    }
  }

  useDidShow(() => { refresh() })
  usePullDownRefresh(() => { refresh() })
  useReachBottom(() => { more() })

  return (
    <View className='page'>
      <ErrorBox error={error} onRetry={refresh} />
      {items && items.length === 0 && <View className='empty'><Text>还没有订单</Text></View>}
      {items && items.length > 0 && (
        <View className='cells' style={{ marginTop: Taro.pxTransform(16) }}>
          {items.map((o) => (
            <View key={o.id} className='cell cell-arrow order-cell' onClick={() => Taro.navigateTo({ url: `/pages/order/index?id=${o.id}` })}>
              <View className='cell-main'>
                <View className='cell-title'><Text>{o.productName}</Text></View>
                <View className='cell-desc'><Text>{o.applicantName ?? ''} · {chinaTime(o.createdAt)} · {yuan(Number(o.priceFen))}</Text></View>
                <View className='cell-desc'><Text>订单号 {o.orderNo}{o.imageNumber ? ` · 图像号 ${o.imageNumber}` : ''}</Text></View>
              </View>
              <Text className={`tag ${statusTone(o.status)}`}>{o.statusLabel}</Text>
            </View>
          ))}
        </View>
      )}
      {items && (
        <View className='center muted small' style={{ padding: Taro.pxTransform(24) }}>
          <Text>{cursor ? (loading ? '加载中…' : '上拉加载更多') : items.length ? '没有更多了' : ''}</Text>
        </View>
      )}
    </View>
  )
}
