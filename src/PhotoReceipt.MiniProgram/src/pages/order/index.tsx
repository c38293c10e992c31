import { useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text, Image, Button } from '@tarojs/components'
import * as client from '../../api/client'
import type { Order, Receipt, ReceiptFile } from '../../api/types'
import ContactButton from '../../components/ContactButton'
import ErrorBox from '../../components/ErrorBox'
import PrivacyPopup from '../../components/PrivacyPopup'
import { chinaTime, yuan } from '../../lib/format'
import { copyText, openPdf, saveImage } from '../../lib/platform'
import { statusTone } from '../../lib/status'
import { cachedProducts, journey, startJourney } from '../../lib/store'

const BY = { user: '我', payment: '微信支付', photo_center: '审核机构', system: '系统' } as Record<string, string>

/** Order detail: timeline, rejection with free retake, and when approved the receipt and its files. */
export default function OrderDetail() {
  const { id = '' } = useRouter().params
  const [order, setOrder] = useState<Order | null>(null)
  const [files, setFiles] = useState<Receipt | null>(null)
  const [error, setError] = useState<unknown>(null)

  const load = async () => {
    setError(null)
    try {
      const o = await client.order(id)
      setOrder(o)
      // Download links are signed for minutes: asked for each time the page shows.
      setFiles(o.receipt && !o.receipt.deleted ? await client.receipt(id) : null)
    } catch (e) {
      setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }
  useDidShow(() => { load() })
  usePullDownRefresh(() => { load() })

  const file = (kind: string): ReceiptFile | undefined => files?.files.find((f) => f.kind === kind)
  const act = (fn: () => Promise<unknown>) => async () => {
    setError(null)
    try {
      await fn()
    } catch (e) {
      if (!(e as { errMsg?: string }).errMsg?.includes('cancel')) setError(e)
    }
  }

  const productOf = (o: Order) => cachedProducts.get()?.find((p) => p.id === o.productId)
  const retake = async () => {
    if (!order) return
    const product = productOf(order) ?? (await client.products()).items.find((p) => p.id === order.productId)
    if (!product) return
    startJourney(product, { retakeOrderId: order.id })
    Taro.navigateTo({ url: `/pages/shoot/index?retakeOrderId=${order.id}` })
  }

  const approved = order?.status === 'approved' || order?.status === 'expired'
  return (
    <View className='page'>
      <PrivacyPopup />
      <ErrorBox error={error} onRetry={load} />
      {order && (
        <>
          <View className='status-banner'>
            <View className='status-banner-title'>
              <Text>{approved ? '审核已通过' : order.status === 'rejected' ? '审核未通过' : order.statusLabel}</Text>
              <Text className={`tag ${statusTone(order.status)}`} style={{ marginLeft: Taro.pxTransform(16), verticalAlign: 'middle' }}>{order.statusLabel}</Text>
            </View>
            <View className='cell-desc'><Text>{order.productName} · {order.applicant.name} · {yuan(Number(order.priceFen))}</Text></View>
            <View className='cell-desc'><Text>订单号 {order.orderNo}</Text></View>
          </View>

          {order.status === 'awaiting_payment' && (
            <View className='btn-area'><Button className='btn btn-primary' onClick={() => Taro.navigateTo({ url: `/pages/pay/index?id=${order.id}` })}>去支付</Button></View>
          )}

          {order.rejection && (
            <>
              <View className='section-title'><Text>未通过原因</Text></View>
              <View className='cells'>
                {order.rejection.reasons.map((r) => (
                  <View key={r.code} className='check-item rejection-reason'>
                    <View className='check-icon check-fail'><Text>✕</Text></View>
                    <View className='check-text'><Text>{r.message}</Text></View>
                  </View>
                ))}
                {order.rejection.note && <View className='cell'><Text className='muted'>审核备注：{order.rejection.note}</Text></View>}
              </View>
              <View className='btn-area'><Button className='btn btn-primary' onClick={act(retake)}>免费重拍</Button></View>
            </>
          )}

          {approved && order.receipt && (
            <>
              <View className='section-title'><Text>照片回执</Text></View>
              <View className='card'>
                <View className='muted small'><Text>图像号（回执号）</Text></View>
                <View style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
                  <Text className='image-number'>{order.receipt.imageNumber}</Text>
                  <Button className='btn-mini' onClick={act(() => copyText(order.receipt!.imageNumber))}>复制</Button>
                </View>
                <View className='cell-desc'><Text>有效期至 {order.receipt.validUntil}{order.receipt.expired ? '（已过期）' : ''}。办证时向窗口出示回执或报图像号即可。</Text></View>
                {file('receipt_png') && <Image className='receipt-image' src={file('receipt_png')!.url} mode='widthFix' style={{ marginTop: Taro.pxTransform(24) }} />}
              </View>
              {order.receipt.deleted && <View className='notice-bar'><Text>回执已超过保存期限，文件已删除。</Text></View>}
              <View className='btn-area'>
                {file('receipt_png') && <Button className='btn btn-primary' onClick={act(() => saveImage(file('receipt_png')!.url, file('receipt_png')!.fileName))}>保存回执到相册</Button>}
                {file('receipt_pdf') && <Button className='btn btn-default' onClick={act(() => openPdf(file('receipt_pdf')!.url, file('receipt_pdf')!.fileName))}>打开 PDF 回执</Button>}
                {file('photo_jpeg') && <Button className='btn btn-default' onClick={act(() => saveImage(file('photo_jpeg')!.url, file('photo_jpeg')!.fileName))}>保存电子证件照</Button>}
                {file('print_sheet_jpeg') && <Button className='btn btn-default' onClick={act(() => saveImage(file('print_sheet_jpeg')!.url, file('print_sheet_jpeg')!.fileName))}>保存 6 寸冲印排版</Button>}
                <Button className='btn btn-default' onClick={() => Taro.navigateTo({ url: `/pages/index/index?deriveFrom=${order.photoId}` })}>用这张照片再办一个回执</Button>
              </View>
            </>
          )}
          {approved && !order.receipt && <View className='notice-bar'><Text>回执生成中，请稍后下拉刷新。</Text></View>}

          {order.timeline && (
            <>
              <View className='section-title'><Text>订单进度</Text></View>
              <View className='cells' style={{ paddingTop: Taro.pxTransform(24) }}>
                {[...order.timeline].reverse().map((t, i) => (
                  <View key={i} className='timeline-item'>
                    <View className='timeline-dot' />
                    <View><Text>{t.label}</Text><Text className='muted small'>  {chinaTime(t.at)} · {BY[t.by] ?? t.by}</Text></View>
                    {t.note && <View className='muted small'><Text>{t.note}</Text></View>}
                  </View>
                ))}
              </View>
            </>
          )}

          <View className='btn-area'>
            {order.cancellable && (
              <Button className='btn btn-warn' onClick={act(async () => {
                const r = await Taro.showModal({ title: '取消订单', content: '确定取消这个订单吗？已支付的金额将原路退回。' })
                if (r.confirm) setOrder(await client.cancelOrder(order.id))
              })}>取消订单</Button>
            )}
            <ContactButton sessionFrom={`order:${order.orderNo}`} />
          </View>
        </>
      )}
      {!order && !error && <View className='empty'><Text>加载中…</Text></View>}
      {journey.product && null}
    </View>
  )
}
