// Resident ID numbers (GB 11643-1999), checked on the device before anything is sent: the same
// rules and messages as the API's ChineseIdNumber, so the form answers at once and the same way.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export function normalizeId(value: string): string {
  return value.trim().toUpperCase()
}

export function checkCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]
  return CHECK[sum % 11]
}

/** The birth date inside the number, or null when it is not a real date. */
export function birthDate(id: string): Date | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(id)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  return date
}

/** Today in China (UTC+8), as a UTC midnight date: the calendar the API uses. */
export function chinaToday(now: Date = new Date()): Date {
  const cn = new Date(now.getTime() + 8 * 3600 * 1000)
  return new Date(Date.UTC(cn.getUTCFullYear(), cn.getUTCMonth(), cn.getUTCDate()))
}

/** Null when valid; otherwise the reason, in the API's words. */
export function validateIdNumber(value: string | undefined, today: Date = chinaToday()): string | null {
  if (!value || !value.trim()) return '请填写身份证号码'
  const id = normalizeId(value)
  if (id.length !== 18) return '身份证号码应为18位'
  if (!/^\d{17}/.test(id)) return '身份证号码前17位应为数字'
  if (!/[\dX]$/.test(id)) return '身份证号码最后一位应为数字或X'
  const birth = birthDate(id)
  if (!birth || birth.getTime() > today.getTime() || birth.getUTCFullYear() < 1900) return '身份证号码中的出生日期不正确'
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return '身份证号码校验位不正确，请核对'
  return null
}

/** Whole years on `today`, or null for a number without a valid birth date. */
export function ageOn(id: string, today: Date = chinaToday()): number | null {
  const birth = birthDate(normalizeId(id))
  if (!birth || birth.getTime() > today.getTime()) return null
  let years = today.getUTCFullYear() - birth.getUTCFullYear()
  const birthday = new Date(Date.UTC(today.getUTCFullYear(), birth.getUTCMonth(), birth.getUTCDate()))
  if (today.getTime() < birthday.getTime()) years--
  return years
}
