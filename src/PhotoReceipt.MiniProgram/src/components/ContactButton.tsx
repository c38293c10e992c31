import Taro from '@tarojs/taro'
import { Button } from '@tarojs/components'

/** 客服: WeChat's customer-service session (open-type="contact"); in a browser there is none. */
export default function ContactButton({ sessionFrom, className = 'btn btn-default' }: { sessionFrom?: string; className?: string }) {
  if (process.env.TARO_ENV === 'weapp')
    return <Button className={className} openType='contact' sessionFrom={sessionFrom} showMessageCard>联系客服</Button>
  return (
    <Button className={className} onClick={() => Taro.showModal({ title: '联系客服', content: '请在微信小程序中点击“联系客服”，客服会根据订单号为您查询。', showCancel: false })}>
      联系客服
    </Button>
  )
}
