import Taro from '@tarojs/taro'
import type { PickedPhoto } from '../api/client'
import { pickerFailure, pickerMessage } from './picker'

export const isWeapp = process.env.TARO_ENV === 'weapp'

/**
 * wx.chooseMedia (camera or album) on weapp; on h5 the page's own file input is used instead.
 * Null when nothing was picked: a closed picker says nothing, a refused permission says where to allow it.
 */
export async function choosePhoto(source: 'camera' | 'album'): Promise<PickedPhoto | null> {
  try {
    const r = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sourceType: [source], sizeType: ['original'], camera: 'front' })
    const f = r.tempFiles[0]
    return f ? { path: f.tempFilePath } : null
  } catch (e) {
    const message = pickerMessage(pickerFailure(e), source)
    if (message) {
      const answer = await Taro.showModal({
        title: message.title,
        content: message.content,
        showCancel: message.openSetting,
        confirmText: message.openSetting ? '去设置' : '知道了',
      })
      if (message.openSetting && answer.confirm) await Taro.openSetting().catch(() => undefined)
    }
    return null
  }
}

/** Save an image to the phone: wx.downloadFile + wx.saveImageToPhotosAlbum; a download on h5. */
export async function saveImage(url: string, fileName: string): Promise<void> {
  if (!isWeapp) {
    download(url, fileName)
    return
  }
  const file = await Taro.downloadFile({ url })
  await Taro.saveImageToPhotosAlbum({ filePath: file.tempFilePath })
  await Taro.showToast({ title: '已保存到相册', icon: 'success' })
}

/** Open the PDF: wx.openDocument on weapp, a new tab on h5. */
export async function openPdf(url: string, fileName: string): Promise<void> {
  if (!isWeapp) {
    download(url, fileName)
    return
  }
  const file = await Taro.downloadFile({ url })
  await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: true })
}

export async function copyText(text: string): Promise<void> {
  await Taro.setClipboardData({ data: text })
  if (!isWeapp) await Taro.showToast({ title: '已复制', icon: 'success' })
}

function download(url: string, fileName: string) {
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}
