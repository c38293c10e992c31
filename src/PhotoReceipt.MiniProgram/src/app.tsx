import { PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import { registerPrivacyHandler } from './lib/privacy'
import './app.css'

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => registerPrivacyHandler())
  return children
}
