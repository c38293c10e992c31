import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text, Button } from '@tarojs/components'
import { answerPrivacy, onPrivacyRequest } from '../lib/privacy'

/** WeChat's privacy prompt, shown when wx.onNeedPrivacyAuthorization fires (weapp only). */
export default function PrivacyPopup() {
  const [open, setOpen] = useState(false)
  useEffect(() => onPrivacyRequest(setOpen), [])
  if (process.env.TARO_ENV !== 'weapp' || !open) return null
  return (
    <View className='popup-mask'>
      <View className='popup'>
        <View className='popup-title'><Text>用户隐私保护提示</Text></View>
        <View className='cell-desc'>
          <Text>使用拍照、相册、保存图片和复制功能前，请阅读并同意</Text>
          <Text className='link' onClick={() => Taro.openPrivacyContract({})}>《证件照回执小程序隐私保护指引》</Text>
        </View>
        <View className='btn-area'>
          <Button id='agree-privacy' className='btn btn-primary' openType='agreePrivacyAuthorization'
            onAgreePrivacyAuthorization={() => answerPrivacy(true, 'agree-privacy')}>同意并继续</Button>
          <Button className='btn btn-default' onClick={() => answerPrivacy(false)}>拒绝</Button>
        </View>
      </View>
    </View>
  )
}
