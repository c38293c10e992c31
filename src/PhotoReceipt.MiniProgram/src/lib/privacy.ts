// wx.onNeedPrivacyAuthorization: WeChat asks the mini-program to show its own privacy prompt before a
// privacy-sensitive API (chooseMedia, saveImageToPhotosAlbum, setClipboardData …) first runs. The
// handler is registered once in app.tsx; a <PrivacyPopup> on the page shows the prompt and answers.

type Resolve = (result: { event: 'agree' | 'disagree'; buttonId?: string }) => void
type Listener = (pending: boolean) => void

let pending: Resolve | null = null
const listeners = new Set<Listener>()

export function registerPrivacyHandler(): void {
  if (process.env.TARO_ENV !== 'weapp') return
  const wxApi = (globalThis as unknown as { wx?: { onNeedPrivacyAuthorization?: (h: (resolve: Resolve) => void) => void } }).wx
  wxApi?.onNeedPrivacyAuthorization?.((resolve) => {
    pending = resolve
    listeners.forEach((l) => l(true))
  })
}

export function onPrivacyRequest(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function answerPrivacy(agree: boolean, buttonId?: string): void {
  pending?.({ event: agree ? 'agree' : 'disagree', buttonId })
  pending = null
  listeners.forEach((l) => l(false))
}
