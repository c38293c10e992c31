import { View, Text } from '@tarojs/components'
import type { Check } from '../api/types'

const ICON = { pass: '✓', warn: '!', fail: '✕' }
const WORD = { pass: '通过', warn: '提醒', fail: '不合格' }

/** The check report as the API orders it: what failed first, then warnings, then what passed. */
export default function CheckList({ checks }: { checks: Check[] }) {
  return (
    <View className='cells'>
      {checks.map((c) => (
        <View key={c.id} className={`check-item check-${c.status}-row`} data-check={c.id} data-status={c.status}>
          <View className={`check-icon check-${c.status}`}><Text>{ICON[c.status]}</Text></View>
          <View className='check-text'>
            <Text>{WORD[c.status]}：{c.message}</Text>
            {(c.measured || c.allowed) && (
              <View className='check-meta'>
                <Text>{c.measured ? `测得 ${c.measured}` : ''}{c.measured && c.allowed ? '，' : ''}{c.allowed ? `要求 ${c.allowed}` : ''}</Text>
              </View>
            )}
          </View>
        </View>
      ))}
    </View>
  )
}
