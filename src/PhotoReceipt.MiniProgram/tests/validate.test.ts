import { describe, expect, it } from 'vitest'
import { checkCharacter } from '../src/lib/idcard'
import { needsGuardian, normalizePhone, validateApplication, validateName, validatePhone } from '../src/lib/validate'
import { SubmissionKeys, newKey } from '../src/lib/idempotency'

const today = new Date(Date.UTC(2026, 10, 29))
const id = (birth: string) => { const f = `440305${birth}123`; return f + checkCharacter(f) }
const guardian = { name: '', relationship: '', consent: false }

describe('applicant form', () => {
  it('shows every error at once, keyed by field', () => {
    const errors = validateApplication({ name: '', idNumber: '123', phone: '12345' }, guardian, false, today)
    expect(errors).toEqual({ name: '请填写姓名', idNumber: '身份证号码应为18位', phone: '请填写正确的 11 位手机号', privacy: '请阅读并同意《隐私政策》' })
  })
  it('passes a complete adult application', () => {
    expect(validateApplication({ name: '张三', idNumber: id('19900307'), phone: '138 1234 5678' }, guardian, true, today)).toEqual({})
  })
  it('asks a child under 14 for a guardian who consents', () => {
    const child = { name: '李小明', idNumber: id('20160101'), phone: '13812345678' }
    expect(needsGuardian(child.idNumber, today)).toBe(true)
    expect(validateApplication(child, guardian, true, today)).toEqual({
      guardianName: '请填写监护人姓名', relationship: '请选择与申请人的关系', guardianConsent: '申请人未满 14 周岁，需要监护人勾选同意',
    })
    expect(validateApplication(child, { name: '李大明', relationship: '父亲', consent: true }, true, today)).toEqual({})
    expect(needsGuardian(id('20121129'), today)).toBe(false)
  })
  it('checks names and mobile numbers like the API', () => {
    expect(validateName('欧阳·娜娜')).toBeNull()
    expect(validateName('张3')).toBe('姓名只能包含汉字、字母和间隔号')
    expect(normalizePhone('+86 138-1234-5678')).toBe('13812345678')
    expect(validatePhone('12812345678')).toBe('请填写正确的 11 位手机号')
    expect(validatePhone('0086 13812345678')).toBeNull()
  })
})

describe('Idempotency-Key', () => {
  it('is a v4-shaped random key', () => {
    expect(newKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
  it('stays the same for the same form and changes with it', () => {
    let n = 0
    const keys = new SubmissionKeys(() => `k${++n}`)
    const body = { name: '张三' }
    expect(keys.keyFor(body)).toBe('k1')
    expect(keys.keyFor({ name: '张三' })).toBe('k1')
    expect(keys.keyFor({ name: '李四' })).toBe('k2')
  })
})
