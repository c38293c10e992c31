import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Button } from '@tarojs/components'
import * as client from '../../api/client'
import type { Order } from '../../api/types'
import ErrorBox from '../../components/ErrorBox'
import { isWeapp } from '../../lib/platform'
import { yuan } from '../../lib/format'

/** Confirm and pay (wx.requestPayment; the sandbox payment in a browser), then ask for the service notices. */
export default function Pay() {
  const { id = '' } = useRouter().params
  const [order, setOrder] = useState<Order | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [subscribed, setSubscribed] = useState(false)

  const load = async () => {
    setError(null)
    try {
      setOrder(await client.order(id))
    } catch (e) {
      setError(e)
    }
  }
  useEffect(() => { load() }, [])

  const pay = async () => {
    if (!order || busy) return
    setBusy(true)
    setError(null)
    try {
      if (isWeapp) {
        const withPayment = order.payment ? order : await client.payment(order.id)
        const p = withPayment.payment
        if (!p) throw new Error(withPayment.paymentError ?? '支付服务暂时不可用，请稍后在订单页重试支付')
        if (p.sandbox) await client.sandboxPay(order.id)
        else await Taro.requestPayment({ timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType as 'RSA', paySign: p.paySign })
      } else {
        await client.sandboxPay(order.id)
      }
      // WeChat Pay's notice may arrive a moment after the payment sheet closes.
      setOrder(await client.order(order.id))
    } catch (e) {
      const cancelled = (e as { errMsg?: string }).errMsg?.includes('cancel')
      if (!cancelled) setError(e)
    } finally {
      setBusy(false)
    }
  }

  // Must run from the tap itself: WeChat allows requestSubscribeMessage only inside a user gesture.
  const subscribe = async () => {
    setError(null)
    try {
      const t = await client.subscriptionTemplates()
      const ids = [t.approved, t.rejected, t.expiring]
      let accepted = ids
      if (isWeapp) {
        const r = (await Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>
        accepted = ids.filter((i) => r[i] === 'accept')
      }
      if (accepted.length) await client.recordSubscriptions(accepted)
      setSubscribed(true)
      Taro.showToast({ title: accepted.length ? '已订阅通知' : '未订阅', icon: accepted.length ? 'success' : 'none' })
    } catch (e) {
      setError(e)
    }
  }

  const paid = order && order.status !== 'awaiting_payment' && order.status !== 'created'
  return (
    <View className='page'>
      <ErrorBox error={error} onRetry={order ? undefined : load} />
      {order && (
        <>
          <View className='section-title'><Text>确认订单</Text></View>
          <View className='cells'>
            <View className='cell'><Text className='label'>证件</Text><View className='cell-main'><Text>{order.productName}</Text></View></View>
            <View className='cell'><Text className='label'>申请人</Text><View className='cell-main'><Text>{order.applicant.name} {order.applicant.idNumber}</Text></View></View>
            <View className='cell'><Text className='label'>订单号</Text><View className='cell-main'><Text>{order.orderNo}</Text></View></View>
            <View className='cell'><Text className='label'>金额</Text><View className='cell-main'><Text className='price'>{yuan(Number(order.priceFen))}</Text></View></View>
          </View>
          {!paid ? (
            <View className='btn-area'>
              <Button className={`btn btn-primary${busy ? ' btn-off' : ''}`} {...(busy ? { disabled: true, loading: true } : {})} onClick={pay}>{isWeapp ? '微信支付' : '模拟支付（沙箱）'} {yuan(Number(order.priceFen))}</Button>
              <View className='muted small center'><Text>{isWeapp ? '' : '浏览器中为沙箱环境，不会真实扣款'}</Text></View>
            </View>
          ) : (
            <>
              <View className='status-banner center'>
                <View className='status-banner-title' style={{ color: '#07c160' }}><Text>{Number(order.priceFen) ? '支付成功' : '提交成功'}</Text></View>
                <View className='cell-desc'><Text>照片已进入审核队列，通常几分钟内出结果。</Text></View>
              </View>
              <View className='card'>
                <View className='cell-title'><Text>审核结果通知</Text></View>
                <View className='cell-desc'><Text>订阅后，审核通过或需要重拍时，我们会通过微信服务通知告诉您。</Text></View>
                <View style={{ marginTop: Taro.pxTransform(24) }}>
                  <Button className={`btn btn-primary${subscribed ? ' btn-off' : ''}`} {...(subscribed ? { disabled: true } : {})} onClick={subscribe}>{subscribed ? '已订阅' : '订阅审核结果通知'}</Button>
                </View>
              </View>
              <View className='btn-area'>
                <Button className='btn btn-default' onClick={() => Taro.redirectTo({ url: `/pages/order/index?id=${order.id}` })}>查看订单</Button>
              </View>
            </>
          )}
        </>
      )}
    </View>
  )
}
