// Why wx.chooseMedia failed, from its errMsg, and what the user is told. WeChat words the same
// failure differently on iOS and Android ("auth deny" / "auth denied"), so only the telling parts
// of the message are matched.

export type PickerFailure = 'cancelled' | 'privacy' | 'denied' | 'failed'

export interface PickerMessage {
  title: string
  content: string
  /** The fix is in the mini-program's own settings page (wx.openSetting). */
  openSetting: boolean
}

export function pickerFailure(error: unknown): PickerFailure {
  const raw = typeof error === 'object' && error !== null && 'errMsg' in error ? (error as { errMsg: unknown }).errMsg : error
  const text = String(raw ?? '').toLowerCase()
  if (text.includes('cancel')) return 'cancelled'
  // "privacy permission is not authorized": the user declined the privacy guide just now.
  if (text.includes('privacy')) return 'privacy'
  if (text.includes('auth deny') || text.includes('auth denied') || text.includes('authorize')) return 'denied'
  return 'failed'
}

/** Nothing for a picker the user closed; otherwise what went wrong and where to fix it. */
export function pickerMessage(failure: PickerFailure, source: 'camera' | 'album'): PickerMessage | null {
  const camera = source === 'camera'
  switch (failure) {
    case 'cancelled':
      return null
    case 'privacy':
      return { title: '需要您同意隐私保护指引', content: '拍照和选择照片前需要您同意《隐私保护指引》，请再点一次并选择同意。', openSetting: false }
    case 'denied':
      return camera
        ? { title: '无法使用相机', content: '您之前拒绝了使用摄像头。请在设置中打开“摄像头”后再拍照，也可以改为从相册选择。', openSetting: true }
        : { title: '无法打开相册', content: '您之前拒绝了访问相册。请在设置中打开“相册”后重试，也可以改为直接拍照。', openSetting: true }
    case 'failed':
      return {
        title: camera ? '无法打开相机' : '无法打开相册',
        content: `请在手机的系统设置中允许微信使用${camera ? '相机' : '照片'}，然后重试。`,
        openSetting: false,
      }
  }
}
