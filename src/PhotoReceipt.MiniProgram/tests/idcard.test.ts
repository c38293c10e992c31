import { describe, expect, it } from 'vitest'
import { ageOn, checkCharacter, validateIdNumber } from '../src/lib/idcard'

const today = new Date(Date.UTC(2026, 10, 29))
const id = (birth: string, seq = '123', region = '440305') => {
  const first17 = region + birth + seq
  return first17 + checkCharacter(first17)
}

describe('ID number on the device (the API says the same)', () => {
  it('accepts a valid number, a lowercase x included', () => {
    expect(validateIdNumber(id('19900307'), today)).toBeNull()
    const withX = ['11010519491231002', '44030519900307002', '44030519900307015'].map((f) => f + checkCharacter(f)).find((n) => n.endsWith('X'))!
    expect(validateIdNumber(withX.toLowerCase(), today)).toBeNull()
  })
  it('names the wrong check digit', () => {
    const good = id('19900307')
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    expect(validateIdNumber(bad, today)).toBe('身份证号码校验位不正确，请核对')
  })
  it('names an impossible or future birth date', () => {
    expect(validateIdNumber(id('19900230'), today)).toBe('身份证号码中的出生日期不正确')
    expect(validateIdNumber(id('20271201'), today)).toBe('身份证号码中的出生日期不正确')
    expect(validateIdNumber(id('18991231'), today)).toBe('身份证号码中的出生日期不正确')
  })
  it('names length and characters', () => {
    expect(validateIdNumber('', today)).toBe('请填写身份证号码')
    expect(validateIdNumber('4403051990030712', today)).toBe('身份证号码应为18位')
    expect(validateIdNumber('44030519900307A23X', today)).toBe('身份证号码前17位应为数字')
    expect(validateIdNumber('44030519900307123Y', today)).toBe('身份证号码最后一位应为数字或X')
  })
  it('counts age by the birthday in China', () => {
    expect(ageOn(id('20121129'), today)).toBe(14)
    expect(ageOn(id('20121130'), today)).toBe(13)
    expect(ageOn(id('19900307'), today)).toBe(36)
  })
})
