import { View, Text, Button } from '@tarojs/components'
import { ApiError } from '../api/http'

/** The API's own words (problem+json detail), or "no network" with a retry. */
export default function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error)
  const network = error instanceof ApiError && error.network
  return (
    <View className='error-box' role='alert'>
      <Text>{network ? `网络不给力：${message}` : message}</Text>
      {onRetry && (
        <View className='error-actions'>
          <Button className='btn-mini' onClick={onRetry}>重试</Button>
        </View>
      )}
    </View>
  )
}
