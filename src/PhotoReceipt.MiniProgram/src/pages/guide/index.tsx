import Taro from '@tarojs/taro'
import { View, Text, Image, Button } from '@tarojs/components'
import { journey } from '../../lib/store'
import { acceptedAt, validity, yuan } from '../../lib/format'
import good from '../../assets/guide-good.png'
import bad from '../../assets/guide-bad.png'

/** Shooting guide: the product's own tips, with a good and a bad example. */
export default function Guide() {
  const p = journey.product
  if (!p) {
    return (
      <View className='page'>
        <View className='empty'><Text>请先选择证件类型</Text></View>
        <View className='btn-area'><Button className='btn btn-primary' onClick={() => Taro.switchTab({ url: '/pages/index/index' })}>去选择</Button></View>
      </View>
    )
  }
  return (
    <View className='page'>
      <View className='card'>
        <View className='cell-title'><Text>{p.name}</Text></View>
        <View className='cell-desc'><Text>价格 </Text><Text className='price'>{yuan(Number(p.priceFen))}</Text>
          <Text> · {p.receiptStyle ? `回执有效期 ${validity(Number(p.validityDays))}` : '无回执'}</Text></View>
        <View className='cell-desc'><Text>适用：{acceptedAt(p.documentType, p.region)}</Text></View>
        <View className='cell-desc'><Text>规格：{p.spec.name}，{p.spec.printWidthMm}×{p.spec.printHeightMm} mm，{p.spec.widthPx}×{p.spec.heightPx} 像素</Text></View>
      </View>
      <View className='section-title'><Text>拍摄示例</Text></View>
      <View className='guide-pics'>
        <View className='photo-box'>
          <Image className='guide-pic' src={good} mode='aspectFit' />
          <View className='photo-caption'><Text className='tag tag-green'>✓ 正确</Text> 正对镜头、光线均匀</View>
        </View>
        <View className='photo-box'>
          <Image className='guide-pic' src={bad} mode='aspectFit' />
          <View className='photo-caption'><Text className='tag tag-red'>✕ 错误</Text> 歪头、遮挡、背光</View>
        </View>
      </View>
      <View className='section-title'><Text>拍摄要求</Text></View>
      <View className='cells'>
        {p.tips.map((t, i) => (
          <View key={i} className='cell'><View className='cell-main'><Text>{i + 1}. {t}</Text></View></View>
        ))}
      </View>
      <View className='btn-area'>
        <Button className='btn btn-primary' onClick={() => Taro.navigateTo({ url: '/pages/shoot/index' })}>我知道了，开始拍照</Button>
      </View>
    </View>
  )
}
