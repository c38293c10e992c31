import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text, Button } from '@tarojs/components'
import * as client from '../../api/client'
import type { ConsentStatus } from '../../api/types'
import ContactButton from '../../components/ContactButton'
import ErrorBox from '../../components/ErrorBox'
import { chinaTime } from '../../lib/format'

/** About and privacy: the policy, the consents on record, withdrawing the face-photo consent. */
export default function About() {
  const [items, setItems] = useState<ConsentStatus[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = async () => {
    setError(null)
    try {
      setItems((await client.consents()).items)
    } catch (e) {
      setError(e)
    }
  }
  useDidShow(() => { load() })

  const withdraw = async (c: ConsentStatus) => {
    const r = await Taro.showModal({
      title: `撤回《${c.title}》`,
      content: c.kind === 'face_photo' ? '撤回后将删除未用于已付款订单的照片，未支付的订单会被取消。再次上传照片前需要重新同意。' : '撤回后，提交新订单前需要重新同意。',
    })
    if (!r.confirm) return
    try {
      const w = await client.withdrawConsent(c.kind)
      await Taro.showToast({ title: c.kind === 'face_photo' ? `已删除 ${w.photosDeleted} 张照片` : '已撤回', icon: 'none' })
      await load()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <View className='page'>
      <View className='hero'>
        <View className='hero-title'><Text>关于证件照回执</Text></View>
        <View className='hero-desc'><Text>手机拍照生成合规证件照，审核通过后获得照片回执和图像号，办证窗口凭号调取照片。</Text></View>
      </View>
      <ErrorBox error={error} onRetry={load} />
      <View className='section-title'><Text>我的授权</Text></View>
      <View className='cells'>
        {items?.map((c) => (
          <View key={c.kind} className='cell'>
            <View className='cell-main'>
              <View className='cell-title'><Text>《{c.title}》</Text></View>
              <View className='cell-desc'><Text>{c.given ? `已同意 ${c.version} 版${c.givenAt ? `（${chinaTime(c.givenAt)}）` : ''}` : '未同意'}</Text></View>
            </View>
            {c.given && <Button className='btn-mini' onClick={() => withdraw(c)}>撤回</Button>}
          </View>
        ))}
      </View>
      <View className='section-title'><Text>隐私政策</Text></View>
      <View className='doc-text' id='privacy'>
        <View className='h'><Text>我们收集什么</Text></View>
        <Text>申请人姓名、身份证号码、手机号，以及您上传的照片。人脸照片属于敏感个人信息，只有在您单独同意《人脸照片处理规则》后才会处理。</Text>
        <View className='h'><Text>用来做什么</Text></View>
        <Text>生成符合规格的证件照和照片回执，并提交相片审核机构；通过微信服务通知告知审核结果。不用于其他目的，不向第三方出售。</Text>
        <View className='h'><Text>保存多久</Text></View>
        <Text>回执有效期结束 30 天后，照片、回执和个人信息全部删除。您可以随时撤回人脸照片授权，未用于已付款订单的照片将立即删除。</Text>
        <View className='h'><Text>未满 14 周岁</Text></View>
        <Text>为未满 14 周岁的未成年人办理，须由其父母或其他监护人同意并填写监护人信息。</Text>
        <View className='h'><Text>联系我们</Text></View>
        <Text>如需查询、更正或删除个人信息，请点击下方“联系客服”。</Text>
      </View>
      <View className='btn-area'><ContactButton sessionFrom='about' /></View>
    </View>
  )
}
