import { createElement, useEffect, useRef, useState } from 'react'
import Taro, { useRouter, useUnload } from '@tarojs/taro'
import { View, Text, Button, Image, Checkbox, Label } from '@tarojs/components'
import * as client from '../../api/client'
import type { PickedPhoto } from '../../api/client'
import type { ConsentStatus } from '../../api/types'
import ErrorBox from '../../components/ErrorBox'
import PrivacyPopup from '../../components/PrivacyPopup'
import { choosePhoto, isWeapp } from '../../lib/platform'
import { journey } from '../../lib/store'

type Stage = 'consent' | 'choose' | 'uploading' | 'processing'

/** Take or choose a photo (camera or album; a file input in a browser), upload it, wait for the worker. */
export default function Shoot() {
  const router = useRouter()
  const retakeOrderId = router.params.retakeOrderId ?? journey.retakeOrderId
  const [stage, setStage] = useState<Stage | null>(null)
  const [face, setFace] = useState<ConsentStatus | null>(null)
  const [agreed, setAgreed] = useState(false)
  const [picked, setPicked] = useState<PickedPhoto | null>(null)
  const [progress, setProgress] = useState(0)
  const [error, setError] = useState<unknown>(null)
  const left = useRef(false)
  useUnload(() => { left.current = true })

  const loadConsent = async () => {
    setError(null)
    try {
      const list = await client.consents()
      const f = list.items.find((i) => i.kind === 'face_photo') ?? null
      setFace(f)
      setStage(f?.given ? 'choose' : 'consent')
    } catch (e) {
      setError(e)
    }
  }
  useEffect(() => { loadConsent() }, [])

  const agree = async () => {
    if (!face) return
    setError(null)
    try {
      await client.giveConsent(face.kind, face.version)
      setStage('choose')
    } catch (e) {
      setError(e)
    }
  }

  const upload = async (photo: PickedPhoto) => {
    const product = journey.product
    if (!product) {
      Taro.switchTab({ url: '/pages/index/index' })
      return
    }
    setPicked(photo)
    journey.picked = photo
    setError(null)
    setProgress(0)
    setStage('uploading')
    try {
      const accepted = await client.uploadPhoto(photo, product.id, setProgress)
      journey.photoId = accepted.id
      setStage('processing')
      await client.waitForPhoto(accepted.id, () => left.current)
      if (left.current) return
      Taro.redirectTo({ url: `/pages/result/index?photoId=${accepted.id}${retakeOrderId ? `&retakeOrderId=${retakeOrderId}` : ''}` })
    } catch (e) {
      setError(e)
      setStage('choose')
    }
  }

  const pick = async (source: 'camera' | 'album') => {
    const photo = await choosePhoto(source)
    if (photo) await upload(photo)
  }

  const onFile = (e: { target: HTMLInputElement }) => {
    const file = e.target.files?.[0]
    e.target.value = ''
    if (file) upload({ path: URL.createObjectURL(file), file })
  }

  return (
    <View className='page'>
      <PrivacyPopup />
      {retakeOrderId && <View className='notice-bar'><Text>免费重拍：按审核意见重新拍摄，新照片将提交同一订单。</Text></View>}
      <ErrorBox error={error} onRetry={stage === null ? loadConsent : undefined} />

      {stage === 'consent' && face && (
        <View>
          <View className='section-title'><Text>上传前请单独授权</Text></View>
          <View className='doc-text'>
            <View className='h'><Text>《{face.title}》</Text></View>
            <Text>{face.summary}</Text>
            <View className='muted small' style={{ marginTop: Taro.pxTransform(16) }}>
              <Text>照片仅用于制作证件照和提交审核；您可以随时在“我的”中撤回授权，未用于已付款订单的照片将被删除。版本 {face.version}</Text>
            </View>
          </View>
          <View className='checkbox-row' onClick={() => setAgreed(!agreed)}>
            <Checkbox value='face' checked={agreed} />
            <Text>我已阅读并单独同意《{face.title}》，同意处理我的人脸照片</Text>
          </View>
          <View className='btn-area'>
            <Button className={`btn btn-primary${!agreed ? ' btn-off' : ''}`} {...(!agreed ? { disabled: true } : {})} onClick={agree}>同意并继续</Button>
          </View>
        </View>
      )}

      {stage === 'choose' && (
        <View>
          <View className='card center'>
            <View className='cell-title'><Text>{journey.product?.name ?? '证件照'}</Text></View>
            <View className='cell-desc'><Text>拍一张上半身照片，任意背景均可，纯色墙面效果最好。</Text></View>
          </View>
          <View className='btn-area'>
            {isWeapp ? (
              <>
                <Button className='btn btn-primary' onClick={() => pick('camera')}>拍照</Button>
                <Button className='btn btn-default' onClick={() => pick('album')}>从相册选择</Button>
              </>
            ) : (
              <Label className='btn btn-primary' style={{ position: 'relative', overflow: 'hidden' }}>
                <Text>拍照或选择照片</Text>
                {createElement('input', {
                  type: 'file', accept: 'image/*', 'aria-label': '选择照片', 'data-testid': 'photo-input', onChange: onFile,
                  style: { position: 'absolute', left: 0, top: 0, width: '100%', height: '100%', opacity: 0 },
                })}
              </Label>
            )}
          </View>
        </View>
      )}

      {(stage === 'uploading' || stage === 'processing') && (
        <View className='card center'>
          {picked && <Image src={picked.path} mode='aspectFit' style={{ width: Taro.pxTransform(240), height: Taro.pxTransform(300) }} />}
          {stage === 'uploading' ? (
            <View>
              <View className='progress'><View className='progress-bar' style={{ width: `${progress}%` }} /></View>
              <Text>正在上传 {progress}%</Text>
            </View>
          ) : (
            <View style={{ marginTop: Taro.pxTransform(24) }}>
              <View className='spinner' />
              <Text>照片处理中：识别人脸、更换背景、裁剪尺寸…</Text>
              <View className='cell-desc'><Text>通常需要几秒钟，请不要离开本页</Text></View>
            </View>
          )}
        </View>
      )}
    </View>
  )
}
