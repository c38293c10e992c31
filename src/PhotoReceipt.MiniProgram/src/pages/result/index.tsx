import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter, useUnload } from '@tarojs/taro'
import { View, Text, Image, Button } from '@tarojs/components'
import * as client from '../../api/client'
import { reportOf, type Photo } from '../../api/types'
import CheckList from '../../components/CheckList'
import ErrorBox from '../../components/ErrorBox'
import { BACKGROUND_COLOURS, BACKGROUND_NAMES } from '../../lib/format'
import { cachedProducts, journey } from '../../lib/store'

/** Result: the standardized photo beside the original, the check report, retake, background colour. */
export default function Result() {
  const router = useRouter()
  const retakeOrderId = router.params.retakeOrderId
  const [photo, setPhoto] = useState<Photo | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const left = useRef(false)
  useUnload(() => { left.current = true })

  const load = async (id: string) => {
    setError(null)
    try {
      setPhoto(await client.waitForPhoto(id, () => left.current))
    } catch (e) {
      setError(e)
    }
  }
  useEffect(() => { load(router.params.photoId ?? journey.photoId ?? '') }, [])

  const product = journey.product ?? cachedProducts.get()?.find((p) => p.id === photo?.productId)
  const report = photo ? reportOf(photo) : null
  const usable = photo?.status === 'processed' && report?.usable === true
  const failures = report?.checks.filter((c) => c.status === 'fail').length ?? 0
  const warnings = report?.checks.filter((c) => c.status === 'warn').length ?? 0

  // Another background is the same upload standardized again: no new photo needed.
  const changeBackground = async (background: string) => {
    if (!photo || !product || busy || background === (photo.background ?? product.backgrounds[0])) return
    setBusy(true)
    setError(null)
    try {
      const accepted = await client.derivePhoto(photo.id, product.id, background)
      journey.photoId = accepted.id
      setPhoto(await client.waitForPhoto(accepted.id, () => left.current))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  const submitRetake = async () => {
    if (!photo || !retakeOrderId) return
    setBusy(true)
    setError(null)
    try {
      await client.retake(retakeOrderId, photo.id)
      Taro.redirectTo({ url: `/pages/order/index?id=${retakeOrderId}` })
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  const retakePhoto = () => Taro.redirectTo({ url: `/pages/shoot/index${retakeOrderId ? `?retakeOrderId=${retakeOrderId}` : ''}` })

  return (
    <View className='page'>
      <ErrorBox error={error} onRetry={photo ? undefined : () => load(router.params.photoId ?? journey.photoId ?? '')} />
      {!photo && !error && <View className='empty'><View className='spinner' /><Text>照片处理中…</Text></View>}
      {photo && (
        <>
          <View className='status-banner'>
            <View className='status-banner-title' style={{ color: usable ? '#07c160' : '#fa5151' }}>
              <Text>{usable ? (warnings ? '照片合格（有提醒）' : '照片合格') : photo.status === 'failed' ? '无法生成证件照' : '照片不合格'}</Text>
            </View>
            <View className='cell-desc'>
              <Text>{usable ? `${product?.name ?? ''}：可以提交审核` : `有 ${failures} 项不符合要求，请按提示重新拍摄`}</Text>
            </View>
          </View>
          <View className='photos'>
            <View className='photo-box'>
              <View className='photo-frame'>
                {journey.picked && !journey.deriveFromPhotoId ? <Image src={journey.picked.path} mode='aspectFit' style={{ width: Taro.pxTransform(300), height: Taro.pxTransform(380) }} /> : <Text className='muted small'>{journey.deriveFromPhotoId ? '沿用上次上传的照片' : '原图'}</Text>}
              </View>
              <Text className='photo-caption'>原图</Text>
            </View>
            <View className='photo-box'>
              <View className='photo-frame'>
                {photo.previewUrl ? <Image className='standard-photo' src={photo.previewUrl} mode='aspectFit' style={{ width: Taro.pxTransform(300), height: Taro.pxTransform(380) }} /> : <Text className='muted small'>未能生成</Text>}
              </View>
              <Text className='photo-caption'>标准证件照</Text>
            </View>
          </View>
          {product && product.backgrounds.length > 1 && photo.status === 'processed' && (
            <>
              <View className='section-title'><Text>背景颜色{busy ? '（处理中…）' : ''}</Text></View>
              <View className='swatches'>
                {product.backgrounds.map((b) => (
                  <View key={b} className={`swatch ${(photo.background ?? product.backgrounds[0]) === b ? 'swatch-on' : ''}`} onClick={() => changeBackground(b)}>
                    <View className='swatch-dot' style={{ background: BACKGROUND_COLOURS[b] ?? b }} />
                    <Text>{BACKGROUND_NAMES[b] ?? b}</Text>
                  </View>
                ))}
              </View>
            </>
          )}
          <View className='section-title'><Text>检测结果</Text></View>
          {report ? <CheckList checks={report.checks} /> : <View className='cell'><Text>没有检测结果</Text></View>}
          <View className='btn-area'>
            {usable && !retakeOrderId && (
              <Button className='btn btn-primary' onClick={() => Taro.navigateTo({ url: `/pages/apply/index?photoId=${photo.id}` })}>下一步：填写申请信息</Button>
            )}
            {usable && retakeOrderId && <Button className={`btn btn-primary${busy ? ' btn-off' : ''}`} {...(busy ? { disabled: true } : {})} onClick={submitRetake}>用这张照片重新提交审核</Button>}
            <Button className={usable ? 'btn btn-default' : 'btn btn-primary'} onClick={retakePhoto}>重新拍摄</Button>
          </View>
        </>
      )}
    </View>
  )
}
