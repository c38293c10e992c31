import { ageOn, chinaToday, validateIdNumber } from './idcard'

export interface ApplicantForm {
  name: string
  idNumber: string
  phone: string
}

export interface GuardianForm {
  name: string
  relationship: string
  consent: boolean
}

export const GUARDIAN_RELATIONSHIPS = ['父亲', '母亲', '其他监护人']
/** PIPL art. 31; the API answers the same age in GET /consents. */
export const GUARDIAN_CONSENT_AGE = 14

const NAME = /^\s*[\u4e00-\u9fa5A-Za-z][\u4e00-\u9fa5A-Za-z·•. ]*\s*$/

export function validateName(name: string, who = ''): string | null {
  const t = name.trim()
  if (!t) return `请填写${who}姓名`
  if (t.length > 30) return `${who}姓名最多 30 个字`
  if (!NAME.test(t)) return `${who}姓名只能包含汉字、字母和间隔号`
  return null
}

export function normalizePhone(value: string): string {
  let t = value.trim().replace(/[\s-]/g, '')
  if (t.startsWith('+86')) t = t.slice(3)
  else if (t.startsWith('0086')) t = t.slice(4)
  return t
}

export function validatePhone(value: string): string | null {
  return /^1[3-9]\d{9}$/.test(normalizePhone(value)) ? null : '请填写正确的 11 位手机号'
}

export function needsGuardian(idNumber: string, today: Date = chinaToday()): boolean {
  if (validateIdNumber(idNumber, today)) return false
  const age = ageOn(idNumber, today)
  return age !== null && age < GUARDIAN_CONSENT_AGE
}

export type FormErrors = Partial<Record<'name' | 'idNumber' | 'phone' | 'guardianName' | 'relationship' | 'guardianConsent' | 'privacy', string>>

/** Every problem of the form at once, keyed by field, as the form shows them under each input. */
export function validateApplication(applicant: ApplicantForm, guardian: GuardianForm, privacyAgreed: boolean, today: Date = chinaToday()): FormErrors {
  const errors: FormErrors = {}
  const name = validateName(applicant.name)
  if (name) errors.name = name
  const id = validateIdNumber(applicant.idNumber, today)
  if (id) errors.idNumber = id
  const phone = validatePhone(applicant.phone)
  if (phone) errors.phone = phone
  if (needsGuardian(applicant.idNumber, today)) {
    const g = validateName(guardian.name, '监护人')
    if (g) errors.guardianName = g
    if (!GUARDIAN_RELATIONSHIPS.includes(guardian.relationship)) errors.relationship = '请选择与申请人的关系'
    if (!guardian.consent) errors.guardianConsent = '申请人未满 14 周岁，需要监护人勾选同意'
  }
  if (!privacyAgreed) errors.privacy = '请阅读并同意《隐私政策》'
  return errors
}
