import { useEffect, useMemo, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, ScrollView } from '@tarojs/components'
import * as client from '../../api/client'
import type { Product } from '../../api/types'
import ErrorBox from '../../components/ErrorBox'
import ContactButton from '../../components/ContactButton'
import { DOCUMENT_TYPE_ORDER, acceptedAt, documentTypeName, validity, yuan } from '../../lib/format'
import { cachedProducts, journey, startJourney } from '../../lib/store'

/** Home: pick the document, then the city or province; price, validity and where it is accepted. */
export default function Home() {
  const router = useRouter()
  const deriveFrom = router.params.deriveFrom
  const [items, setItems] = useState<Product[] | null>(cachedProducts.get())
  const [error, setError] = useState<unknown>(null)
  const [type, setType] = useState('residence-permit')
  const [busy, setBusy] = useState(false)

  const load = async () => {
    setError(null)
    try {
      const r = await client.products()
      cachedProducts.set(r.items)
      setItems(r.items)
    } catch (e) {
      setError(e)
    }
  }
  useEffect(() => { if (!items) load() }, [])

  const types = useMemo(() => DOCUMENT_TYPE_ORDER.filter((t) => items?.some((p) => p.documentType === t)), [items])
  const shown = items?.filter((p) => p.documentType === type) ?? []

  const choose = async (p: Product) => {
    if (!deriveFrom) {
      startJourney(p)
      Taro.navigateTo({ url: `/pages/guide/index?productId=${p.id}` })
      return
    }
    // "用这张照片再办一个回执": the same upload, standardized for the product chosen here.
    setBusy(true)
    setError(null)
    try {
      const accepted = await client.derivePhoto(deriveFrom, p.id)
      startJourney(p, { photoId: accepted.id, deriveFromPhotoId: deriveFrom })
      Taro.redirectTo({ url: `/pages/result/index?photoId=${accepted.id}` })
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='page'>
      <View className='hero'>
        <View className='hero-title'><Text>{deriveFrom ? '用这张照片再办一个回执' : '证件照 · 照片回执'}</Text></View>
        <View className='hero-desc'>
          <Text>{deriveFrom ? '选择新的证件和城市，无需重新拍照。' : '手机自拍，任意背景，自动换底裁剪；审核通过即得照片回执与图像号，办证窗口凭号调取照片。'}</Text>
        </View>
      </View>
      <ErrorBox error={error} onRetry={items ? undefined : load} />
      {!items && !error && <View className='empty'><Text>加载中…</Text></View>}
      {items && (
        <>
          <View className='section-title'><Text>1. 选择证件</Text></View>
          <ScrollView scrollX className='cells' style={{ whiteSpace: 'nowrap', padding: `${Taro.pxTransform(16)} ${Taro.pxTransform(24)}`, boxSizing: 'border-box' }}>
            {types.map((t) => (
              <View key={t} className={`tag ${t === type ? 'tag-green' : 'tag-grey'}`} onClick={() => setType(t)}
                style={{ padding: `${Taro.pxTransform(16)} ${Taro.pxTransform(28)}`, marginRight: Taro.pxTransform(16), fontSize: Taro.pxTransform(28), display: 'inline-block' }}>
                <Text>{documentTypeName(t)}</Text>
              </View>
            ))}
          </ScrollView>
          <View className='section-title'><Text>2. 选择城市 / 省份</Text></View>
          <View className='cells'>
            {shown.map((p) => (
              <View key={p.id} className='cell cell-arrow product-cell' onClick={() => !busy && choose(p)} data-product={p.id}>
                <View className='cell-main'>
                  <View className='cell-title'><Text>{p.name}</Text></View>
                  <View className='cell-desc'>
                    <Text>{p.receiptStyle ? `回执有效期 ${validity(Number(p.validityDays))}` : `文件保存 ${validity(Number(p.validityDays))}`} · {p.spec.printWidthMm}×{p.spec.printHeightMm} mm</Text>
                  </View>
                  <View className='cell-desc'><Text>适用：{acceptedAt(p.documentType, p.region)}</Text></View>
                </View>
                <View className='cell-value'><Text className='price'>{yuan(Number(p.priceFen))}</Text></View>
              </View>
            ))}
          </View>
        </>
      )}
      {journey.product && !deriveFrom && <View className='section-title small'><Text>上次选择：{journey.product.name}</Text></View>}
      <View className='btn-area'>
        <ContactButton sessionFrom='home' />
      </View>
    </View>
  )
}
