import { describe, expect, it } from 'vitest'
import { pickerFailure, pickerMessage } from '../src/lib/picker'

describe('photo picker failures', () => {
  it('tells a closed picker from a refused permission, as iOS and Android word them', () => {
    expect(pickerFailure({ errMsg: 'chooseMedia:fail cancel' })).toBe('cancelled')
    expect(pickerFailure({ errMsg: 'chooseMedia:fail auth deny' })).toBe('denied')
    expect(pickerFailure({ errMsg: 'chooseMedia:fail auth denied' })).toBe('denied')
    expect(pickerFailure({ errMsg: 'chooseMedia:fail authorize no response' })).toBe('denied')
    expect(pickerFailure({ errMsg: 'chooseMedia:fail privacy permission is not authorized' })).toBe('privacy')
    expect(pickerFailure({ errMsg: 'chooseMedia:fail system permission denied' })).toBe('failed')
    expect(pickerFailure(new Error('boom'))).toBe('failed')
    expect(pickerFailure(undefined)).toBe('failed')
  })

  it('says nothing for a closed picker and sends a refused camera to the settings page', () => {
    expect(pickerMessage('cancelled', 'camera')).toBeNull()
    const camera = pickerMessage('denied', 'camera')!
    expect(camera.openSetting).toBe(true)
    expect(camera.content).toContain('摄像头')
    const album = pickerMessage('denied', 'album')!
    expect(album.openSetting).toBe(true)
    expect(album.content).toContain('相册')
  })

  it('points a phone-level refusal at the system settings, which the mini-program cannot open', () => {
    const m = pickerMessage('failed', 'camera')!
    expect(m.openSetting).toBe(false)
    expect(m.content).toContain('系统设置')
    expect(pickerMessage('privacy', 'album')!.content).toContain('隐私保护指引')
  })
})
